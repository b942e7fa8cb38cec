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
/// answer by the key's hash: a valid key for <see cref="GatewayOptions.KeyCacheSeconds"/> (or until an
/// <see cref="ApiKeyRevoked"/> evicts it), an unknown one for
/// <see cref="GatewayOptions.UnknownKeyCacheSeconds"/> (negative caching, as DNS does). Lookups of
/// uncached keys are limited per client address, so a flood of random keys stays off the registry.
/// </summary>
internal sealed partial class KeyValidator(
    IHttpClientFactory http,
    UnknownKeyThrottle throttle,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<KeyValidator> logger) : IApiKeyResolver
{
    public const string HttpClientName = "registry";

    private const int MaxEntries = 10_000;

    // Tombstones outlive any cache here or in the registry: a lookup that raced a revocation cannot bring the key back.
    private static readonly TimeSpan TombstoneLife = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<KeyResolution>> _lookups = new(StringComparer.Ordinal);

    public async Task<KeyResolution> ResolveAsync(string key, IPAddress? client, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = time.GetUtcNow();
        if (_valid.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return KeyResolution.Valid(cached.Caller);
        }

        if (_unknown.TryGetValue(hash, out var until) && until > now)
        {
            return KeyResolution.Invalid;
        }

        // One lookup per key at a time: when a busy key's cache entry expires, the requests that miss
        // together share one lookup rather than each asking the registry and each spending a token of
        // the unknown-key limit (which would refuse a valid key's own requests).
        if (_lookups.TryGetValue(hash, out var running))
        {
            return await running.WaitAsync(cancellationToken);
        }

        if (!throttle.TryTake(client, out var retryAfter))
        {
            return KeyResolution.Throttled(retryAfter);
        }

        var lookup = new TaskCompletionSource<KeyResolution>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_lookups.TryAdd(hash, lookup.Task))
        {
            throttle.GiveBack(client);
            return await _lookups.GetValueOrDefault(hash, Task.FromResult(KeyResolution.Unavailable)).WaitAsync(cancellationToken);
        }

        try
        {
            // Not the caller's token: the lookup is shared, and one caller leaving must not fail the others.
            var resolution = await LookUpAsync(key, hash, client, now);
            lookup.SetResult(resolution);
            return resolution;
        }
        catch (Exception ex)
        {
            lookup.SetException(ex);
            throw;
        }
        finally
        {
            _lookups.TryRemove(hash, out _);
        }
    }

    private async Task<KeyResolution> LookUpAsync(string key, string hash, IPAddress? client, DateTimeOffset now)
    {
        Caller? caller;
        try
        {
            caller = await AskRegistryAsync(key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throttle.GiveBack(client);
            return KeyResolution.Unavailable;
        }

        if (caller is not null && _revoked.ContainsKey(caller.KeyId))
        {
            caller = null;
        }

        if (caller is null)
        {
            Remember(_unknown, hash, now + TimeSpan.FromSeconds(options.Value.UnknownKeyCacheSeconds));
            return KeyResolution.Invalid;
        }

        throttle.GiveBack(client);
        Remember(_valid, hash, (caller, now + TimeSpan.FromSeconds(options.Value.KeyCacheSeconds)));
        return KeyResolution.Valid(caller);
    }

    /// <summary>Forgets a revoked key at once and refuses it from now on, whatever a cache still says.</summary>
    public void Revoke(string keyId)
    {
        var now = time.GetUtcNow();
        Remember(_revoked, keyId, now + TombstoneLife);
        var evicted = 0;
        foreach (var (hash, entry) in _valid)
        {
            if (entry.Caller.KeyId == keyId && _valid.TryRemove(hash, out _))
            {
                evicted++;
            }
        }

        foreach (var (id, expires) in _revoked)
        {
            if (expires <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }

        LogRevoked(logger, keyId, evicted);
    }

    private async Task<Caller?> AskRegistryAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/auth/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var identity = (await response.Content.ReadFromJsonAsync<CallerIdentity>(cancellationToken))!;
        return Roles.TryParse(identity.Role, out var role) ? new Caller(identity.KeyId, identity.TenantId, role) : null;
    }

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count > MaxEntries)
        {
            // Each cache is bounded on its own, so a flood of unknown keys never pushes out the valid ones.
            cache.Clear();
        }

        cache[key] = value;
    }

    [LoggerMessage(EventId = GatewayLogEvents.KeyRevoked, Level = LogLevel.Information, Message = "Key {KeyId} was revoked; evicted {Evicted} cached entries")]
    private static partial void LogRevoked(ILogger logger, string keyId, int evicted);
}
