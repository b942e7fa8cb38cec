using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Drift.Windows;

namespace Orbit.DriftMonitor.Baselines;

/// <summary>What the registry says of a version: its baseline, that it has none usable (unmapped), or that it does not exist.</summary>
internal sealed record BaselineLookup(VersionBaseline? Baseline, string? UnmappedReason, bool Exists, string? MetadataJson);

/// <summary>
/// Reads a version's baseline from the registry (<c>GET /v1/tenants/{t}/models/{m}/versions/{v}</c> with the monitor's
/// platform viewer key, as workers fetch artifacts) and keeps it: a version's metadata does not change. Unknown
/// versions are remembered for a short while only, so a version registered later is picked up.
/// An unreachable registry throws <see cref="HttpRequestException"/>: the caller retries, nothing is dropped.
/// </summary>
internal sealed class BaselineSource(IHttpClientFactory clients, IOptions<DriftMonitorOptions> options, TimeProvider time)
{
    public const string HttpClientName = "orbit-registry";

    private static readonly TimeSpan UnknownLife = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string, string, int), (BaselineLookup Lookup, DateTimeOffset Until)> _cache = new();

    public async Task<BaselineLookup> GetAsync(string tenant, string model, int version, CancellationToken cancellationToken)
    {
        var key = (tenant, model, version);
        if (_cache.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Lookup;
        }

        var lookup = await FetchAsync(tenant, model, version, cancellationToken);
        _cache[key] = (lookup, lookup.Exists ? DateTimeOffset.MaxValue : time.GetUtcNow() + UnknownLife);
        return lookup;
    }

    private async Task<BaselineLookup> FetchAsync(string tenant, string model, int version, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var path = $"v1/tenants/{Uri.EscapeDataString(tenant)}/models/{Uri.EscapeDataString(model)}/versions/{version.ToString(CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.RegistryUrl), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.RegistryKey);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new BaselineLookup(null, null, false, null);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the registry answered {(int)response.StatusCode} for {path}", null, response.StatusCode);
        }

        var view = await response.Content.ReadFromJsonAsync<VersionView>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new HttpRequestException($"the registry answered {path} with null");
        var (baseline, reason) = VersionBaseline.FromMetadata(view.Metadata);
        return new BaselineLookup(baseline, reason, true, view.Metadata.ValueKind == JsonValueKind.Undefined ? null : view.Metadata.GetRawText());
    }
}
