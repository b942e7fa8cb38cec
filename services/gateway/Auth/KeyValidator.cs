using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Auth;

/// <summary>
/// Asks the registry what a key is (<c>GET /v1/auth/whoami</c> with the key itself) and caches the
/// answer briefly, by the key's hash, so a revoked key stops working within the cache time.
/// </summary>
internal sealed class KeyValidator(IHttpClientFactory http, IOptions<GatewayOptions> options, TimeProvider time) : IApiKeyResolver
{
    public const string HttpClientName = "registry";

    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<KeyResolution> ResolveAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller is null ? KeyResolution.Invalid : KeyResolution.Valid(cached.Caller);
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

        _cache[hash] = (caller, now + TimeSpan.FromSeconds(options.Value.KeyCacheSeconds));
        return caller is null ? KeyResolution.Invalid : KeyResolution.Valid(caller);
    }
}
