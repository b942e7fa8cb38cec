using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;

namespace Orbit.Gateway.Auth;

internal enum KeyCheck
{
    Valid,
    Invalid,
    RegistryUnavailable,
}

/// <summary>
/// Asks the registry what a key is (<c>GET /v1/auth/whoami</c> with the key itself) and caches the
/// answer briefly, by the key's hash, so a revoked key stops working within the cache time.
/// </summary>
internal sealed class KeyValidator(IHttpClientFactory http, IOptions<GatewayOptions> options, TimeProvider time)
{
    public const string HttpClientName = "registry";

    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<(KeyCheck Check, Caller? Caller)> ValidateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return (cached.Caller is null ? KeyCheck.Invalid : KeyCheck.Valid, cached.Caller);
        }

        Caller? caller;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/auth/whoami");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                caller = null;
            }
            else
            {
                response.EnsureSuccessStatusCode();
                var identity = (await response.Content.ReadFromJsonAsync<CallerIdentity>(cancellationToken))!;
                caller = new Caller(identity.KeyId, identity.TenantId, identity.Role);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (KeyCheck.RegistryUnavailable, null);
        }

        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (caller, now + TimeSpan.FromSeconds(options.Value.KeyCacheSeconds));
        return (caller is null ? KeyCheck.Invalid : KeyCheck.Valid, caller);
    }
}
