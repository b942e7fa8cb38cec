using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Hosting.Security;

/// <summary>
/// Key checks for a service whose API sits behind the gateway (drift monitor, retrainer): it asks the registry who a
/// key is (<c>GET /v1/auth/whoami</c> with the key itself) and caches the answer by the key's hash, a valid one 30 s
/// and an unknown one 5 s, so a burst of calls asks once. The gateway in front keeps its own cache, throttles and
/// revocations; this only has to keep direct callers honest.
/// </summary>
public abstract class RegistryWhoAmIResolver(IHttpClientFactory clients, TimeProvider time) : IApiKeyResolver
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan ValidFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The registry's <c>/v1/auth/whoami</c>, absolute.</summary>
    protected abstract Uri WhoAmI { get; }

    /// <summary>The named <see cref="HttpClient"/> the service talks to the registry with.</summary>
    protected abstract string HttpClientName { get; }

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

        _cache[hash] = (caller, now + (caller is null ? UnknownFor : ValidFor));
        return caller is null ? KeyResolution.Invalid : KeyResolution.Valid(caller);
    }

    private async Task<Caller?> AskAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var identity = (await response.Content.ReadFromJsonAsync<CallerIdentity>(JsonSerializerOptions.Web, cancellationToken))!;
        return Roles.TryParse(identity.Role, out var role) ? new Caller(identity.KeyId, identity.TenantId, role) : null;
    }
}
