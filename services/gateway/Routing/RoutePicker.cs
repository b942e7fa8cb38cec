using System.Text;
using Orbit.Contracts.Models;

namespace Orbit.Gateway.Routing;

/// <summary>
/// Picks a version by the routes' weights. With a routing key the pick is a hash of the key, so the
/// same key lands on the same version for as long as the weights stay the same.
/// </summary>
internal static class RoutePicker
{
    public static int? Pick(IReadOnlyList<DeploymentRoute> routes, string? routingKey)
    {
        if (routes.Count == 1)
        {
            return routes[0].Weight > 0 ? routes[0].Version : null;
        }

        var total = 0;
        foreach (var route in routes)
        {
            total += route.Weight;
        }

        if (total <= 0)
        {
            return null;
        }

        var point = routingKey is null ? Random.Shared.Next(total) : (int)(Fnv1a(routingKey) % (uint)total);
        foreach (var route in routes)
        {
            if (point < route.Weight)
            {
                return route.Version;
            }

            point -= route.Weight;
        }

        return routes[^1].Version;
    }

    // FNV-1a: stable across processes and restarts, unlike string.GetHashCode.
    internal static uint Fnv1a(string key)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
