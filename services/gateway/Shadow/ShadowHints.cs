using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Auth;

namespace Orbit.Gateway.Shadow;

/// <summary>
/// The comparison hints of a stable version (<see cref="ShadowHint"/>), read from its metadata at the registry with the
/// caller's own key, off the request path. A version's metadata part never changes, so hints are kept once read; a
/// version the registry could not describe compares without hints and is asked about again after
/// <see cref="ShadowOptions.HintRetrySeconds"/>.
/// </summary>
internal sealed class ShadowHints(IHttpClientFactory http, TimeProvider time, IOptions<ShadowOptions> options)
{
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), ShadowHint> _known = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), DateTimeOffset> _failedAt = new();

    public async Task<ShadowHint> GetAsync(string tenant, string model, int version, string? key, CancellationToken cancellationToken)
    {
        var id = (tenant, model, version);
        if (_known.TryGetValue(id, out var hint))
        {
            return hint;
        }

        if (key is null || (_failedAt.TryGetValue(id, out var failed) && time.GetUtcNow() - failed < TimeSpan.FromSeconds(options.Value.HintRetrySeconds)))
        {
            return ShadowHint.None;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models/{Uri.EscapeDataString(model)}/versions/{version}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.CreateClient(KeyValidator.HttpClientName).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var view = await response.Content.ReadFromJsonAsync<VersionView>(cancellationToken);
            return _known.GetOrAdd(id, Of(view!.Metadata));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            _failedAt[id] = time.GetUtcNow();
            return ShadowHint.None;
        }
    }

    /// <summary>The hints in a version's metadata: <c>prediction.output</c>, <c>prediction.threshold</c>, the number of <c>classes</c>.</summary>
    public static ShadowHint Of(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return ShadowHint.None;
        }

        string? output = null;
        double? threshold = null;
        if (metadata.TryGetProperty("prediction", out var prediction) && prediction.ValueKind == JsonValueKind.Object)
        {
            output = prediction.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            threshold = prediction.TryGetProperty("threshold", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
        }

        int? classes = metadata.TryGetProperty("classes", out var c) && c.ValueKind == JsonValueKind.Array ? c.GetArrayLength() : null;
        return new ShadowHint(output, threshold, classes);
    }
}
