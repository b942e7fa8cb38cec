using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Orbit.Gateway.RateLimiting;

namespace Orbit.Gateway.Auth;

/// <summary>
/// A token bucket per client address for lookups of keys the gateway has not cached: a lookup takes
/// a token and a key that turns out valid gives it back, so only unknown keys are charged. Local to
/// each gateway (as Envoy's local rate limit), because its point is to keep floods off the registry.
/// </summary>
internal sealed class UnknownKeyThrottle(IOptions<GatewayOptions> options, TimeProvider time)
{
    private const int MaxAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, LocalBucket> _buckets = new();

    public bool TryTake(IPAddress? client, out TimeSpan retryAfter)
    {
        var limits = options.Value;
        if (_buckets.Count > MaxAddresses)
        {
            // Addresses that flooded long ago have full buckets again; forgetting them all loses nothing but state.
            _buckets.Clear();
        }

        var bucket = _buckets.GetOrAdd(Normalize(client), static (_, burst) => new LocalBucket(burst), limits.UnknownKeyLookupBurst);
        (var allowed, retryAfter) = bucket.TryTake(time, limits.UnknownKeyLookupsPerSecond, limits.UnknownKeyLookupBurst);
        return allowed;
    }

    public void GiveBack(IPAddress? client)
    {
        if (_buckets.TryGetValue(Normalize(client), out var bucket))
        {
            bucket.GiveBack(options.Value.UnknownKeyLookupBurst);
        }
    }

    private static IPAddress Normalize(IPAddress? client) =>
        client is null ? IPAddress.None : client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
}
