using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Orbit.Hosting.Errors;
using Orbit.Routing;

namespace Orbit.Gateway.Outcomes;

/// <summary>
/// Whether a model exists in a tenant: one the gateway has a routing table for (deployed now or before), or
/// else one the registry shows the caller (<c>GET /v1/models/{name}</c> with the caller's own key, so another
/// tenant's model is not found). Models found are remembered for a minute.
/// </summary>
internal sealed class KnownModels(RoutingTables routing, IHttpClientFactory http, TimeProvider time)
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Tenant, string Model), DateTimeOffset> _known = new();

    public async Task<bool> ExistsAsync(string tenantId, string model, string callerKey, CancellationToken cancellationToken)
    {
        if (routing.Get(tenantId, model) is not null
            || (_known.TryGetValue((tenantId, model), out var until) && until > time.GetUtcNow()))
        {
            return true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/models/{Uri.EscapeDataString(model)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callerKey);
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(Auth.KeyValidator.HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DependencyUnavailableException("The registry, which knows the tenant's models, is not reachable right now; retry shortly.", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException($"The registry answered {(int)response.StatusCode} when asked for the model; retry shortly.");
            }
        }

        _known[(tenantId, model)] = time.GetUtcNow() + Remember;
        return true;
    }
}
