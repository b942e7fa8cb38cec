using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.DriftMonitor.Baselines;

namespace Orbit.DriftMonitor.Auth;

/// <summary>
/// Checks the API's keys by asking the registry who they are (<c>GET /v1/auth/whoami</c> with the key itself), as the
/// gateway does, and caches answers by the key's hash: valid ones for 30 s, unknown ones for 5 s. The monitor's API is
/// read-only and reached through the gateway, which keeps its own cache and revocation handling.
/// </summary>
internal sealed class RegistryKeyResolver(IHttpClientFactory clients, Microsoft.Extensions.Options.IOptions<DriftMonitorOptions> options, TimeProvider time) : IApiKeyResolver
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<KeyResolution> ResolveAsync(string key, IPAddress? client, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller is { } known ? KeyResolution.Valid(known) : KeyResolution.Invalid;
        }

        Caller? caller;
        try
        {
            caller = await AskAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return KeyResolution.Unavailable;
        }

        if (_cache.Count > MaxEntries)
        {
            _cache.Clear();
        }

        _cache[hash] = (caller, now + TimeSpan.FromSeconds(caller is null ? 5 : 30));
        return caller is null ? KeyResolution.Invalid : KeyResolution.Valid(caller);
    }

    private async Task<Caller?> AskAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(options.Value.RegistryUrl), "v1/auth/whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await clients.CreateClient(BaselineSource.HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var identity = (await response.Content.ReadFromJsonAsync<CallerIdentity>(JsonSerializerOptions.Web, cancellationToken))!;
        return Roles.TryParse(identity.Role, out var role) ? new Caller(identity.KeyId, identity.TenantId, role) : null;
    }
}
