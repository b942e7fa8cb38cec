using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.InferenceWorker.Models;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// Each version's <see cref="VersionProfile"/>, built from its registry record
/// (<c>GET /v1/tenants/{tenant}/models/{model}/versions/{v}</c> with the worker's registry key, as artifacts are
/// downloaded) and cached: a version is immutable. A version the registry does not know gets an empty profile;
/// a failed read is retried after <c>MetadataRetrySeconds</c>, and until then the version's requests are not summarised.
/// </summary>
internal sealed partial class VersionProfiles(
    IHttpClientFactory clients,
    IOptions<WorkerOptions> worker,
    IOptions<StatisticsOptions> options,
    TimeProvider time,
    ILogger<VersionProfiles> logger)
{
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), (VersionProfile? Profile, DateTimeOffset RetryAt)> _profiles = new();

    public async ValueTask<VersionProfile?> GetAsync(string tenant, string model, int version, CancellationToken cancellationToken)
    {
        var key = (tenant, model, version);
        if (_profiles.TryGetValue(key, out var known) && (known.Profile is not null || time.GetUtcNow() < known.RetryAt))
        {
            return known.Profile;
        }

        try
        {
            var profile = await FetchAsync(tenant, model, version, cancellationToken);
            _profiles[key] = (profile, default);
            if (profile.Unmapped is { } reason)
            {
                LogUnmapped(logger, tenant, model, version, reason);
            }

            return profile;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retry = TimeSpan.FromSeconds(options.Value.MetadataRetrySeconds);
            _profiles[key] = (null, time.GetUtcNow() + retry);
            LogUnavailable(logger, tenant, model, version, ex.Message, retry.TotalSeconds);
            return null;
        }
    }

    private async Task<VersionProfile> FetchAsync(string tenant, string model, int version, CancellationToken cancellationToken)
    {
        var settings = worker.Value;
        if (!settings.CanDownload)
        {
            throw new HttpRequestException("Orbit:Worker:RegistryKey is not set, so the version's metadata cannot be read");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.DownloadReadTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var path = $"v1/tenants/{Uri.EscapeDataString(tenant)}/models/{Uri.EscapeDataString(model)}/versions/{version}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.RegistryUrl), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.RegistryKey);
        using var response = await clients.CreateClient(ArtifactClient.HttpClientName).SendAsync(request, linked.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return VersionProfile.Nothing;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the registry answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var view = await response.Content.ReadFromJsonAsync<VersionView>(linked.Token)
            ?? throw new System.Text.Json.JsonException("the registry answered null");
        return VersionProfileBuilder.Build(view.Metadata, view.Signature);
    }

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsUnmapped, Level = LogLevel.Warning,
        Message = "{Tenant}/{Model} v{Version} is served, but its features cannot be mapped to the model's inputs, so they are not summarised: {Reason}")]
    private static partial void LogUnmapped(ILogger logger, string tenant, string model, int version, string reason);

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsMetadataUnavailable, Level = LogLevel.Warning,
        Message = "Could not read the metadata of {Tenant}/{Model} v{Version} from the registry ({Reason}); its requests are not summarised, retrying in {Seconds} s")]
    private static partial void LogUnavailable(ILogger logger, string tenant, string model, int version, string reason, double seconds);
}
