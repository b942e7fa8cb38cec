using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Auth;

namespace Orbit.Gateway.Inference;

/// <summary>
/// A version's inputs and outputs, from the registry (asked with the caller's own key, so tenant
/// isolation is the registry's). A version's signature never changes, so it is kept once read.
/// </summary>
internal sealed class ModelSignatures(IHttpClientFactory http)
{
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), ModelSignature> _known = new();

    public async Task<ModelSignature?> GetAsync(string tenant, string model, int version, string key, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue((tenant, model, version), out var signature))
        {
            return signature;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models/{Uri.EscapeDataString(model)}/versions/{version}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.CreateClient(KeyValidator.HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var view = await response.Content.ReadFromJsonAsync<VersionView>(cancellationToken);
        return _known.GetOrAdd((tenant, model, version), view!.Signature);
    }
}
