using System.Text;
using Orbit.Contracts.Models;

namespace Orbit.Routing;

/// <summary>
/// Picks a route by the routes' weights. With a routing key the pick is a hash of the key, so the
/// same key lands on the same version for as long as the weights stay the same. Null when no route
/// takes traffic (no routes, or every weight is 0).
/// </summary>
public static class RoutePicker
{
    public static DeploymentRoute? Pick(IReadOnlyList<DeploymentRoute> routes, string? routingKey)
    {
        if (routes.Count == 1)
        {
            return routes[0].Weight > 0 ? routes[0] : null;
        }

        var total = 0;
        foreach (var route in routes)
        {
            total += Math.Max(route.Weight, 0);
        }

        if (total <= 0)
        {
            return null;
        }

        var point = string.IsNullOrEmpty(routingKey) ? Random.Shared.Next(total) : (int)(Fnv1a(routingKey) % (uint)total);
        foreach (var route in routes)
        {
            var weight = Math.Max(route.Weight, 0);
            if (point < weight)
            {
                return route;
            }

            point -= weight;
        }

        return routes[^1];
    }

    /// <summary>
    /// <see cref="Pick"/>, but a version no worker serves yet (a canary step applied before its workers loaded it) gives
    /// its share to the versions that are served, so a client is never refused for a version still warming up.
    /// Only when no routed version is served is the plain pick returned (the caller then answers 503).
    /// </summary>
    public static DeploymentRoute? PickServed(IReadOnlyList<DeploymentRoute> routes, string? routingKey, Func<int, bool> served)
    {
        var route = Pick(routes, routingKey);
        if (route is null || served(route.Version))
        {
            return route;
        }

        var ready = new List<DeploymentRoute>(routes.Count);
        foreach (var candidate in routes)
        {
            if (served(candidate.Version))
            {
                ready.Add(candidate);
            }
        }

        return Pick(ready, routingKey) ?? route;
    }

    /// <summary>The route of <paramref name="version"/>, or null when the table does not route to it.</summary>
    public static DeploymentRoute? Find(IReadOnlyList<DeploymentRoute> routes, int version)
    {
        foreach (var route in routes)
        {
            if (route.Version == version)
            {
                return route;
            }
        }

        return null;
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
