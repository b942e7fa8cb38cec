using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Retrainer.Registration;

namespace Orbit.Retrainer.Auth;

/// <summary>
/// Checks a caller's key by asking the registry who it is (<c>GET /v1/auth/whoami</c> with that key), as the gateway
/// does; a valid answer is kept 30 s by the key's hash, an unknown key 5 s, so a burst of calls asks once.
/// </summary>
internal sealed class RegistryKeyResolver(IHttpClientFactory http, TimeProvider time) : IApiKeyResolver
{
    private static readonly TimeSpan ValidFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

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
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/auth/whoami");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.CreateClient(RegistryClient.HttpClientName).SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                caller = null;
            }
            else
            {
                response.EnsureSuccessStatusCode();
                var identity = (await response.Content.ReadFromJsonAsync<CallerIdentity>(cancellationToken))!;
                caller = Roles.TryParse(identity.Role, out var role) ? new Caller(identity.KeyId, identity.TenantId, role) : null;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return KeyResolution.Unavailable;
        }

        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (caller, now + (caller is null ? UnknownFor : ValidFor));
        return caller is null ? KeyResolution.Invalid : KeyResolution.Valid(caller);
    }
}
