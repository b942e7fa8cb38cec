using System.Collections.Concurrent;
using Orbit.Contracts.Models;

namespace Orbit.Gateway.Routing;

/// <summary>
/// Which versions of each model serve traffic, and with what weights: loaded from Redis at start,
/// then kept current by <see cref="DeploymentChanged"/> events. An older revision never replaces a newer one.
/// </summary>
internal sealed class RoutingTable
{
    private readonly ConcurrentDictionary<(string Tenant, string Model), DeploymentChanged> _tables = new();

    public bool Loaded { get; private set; }

    public void MarkLoaded() => Loaded = true;

    public DeploymentChanged? Get(string tenant, string model) => _tables.GetValueOrDefault((tenant, model));

    public bool Apply(DeploymentChanged change)
    {
        var key = (change.TenantId, change.ModelName);
        while (true)
        {
            if (_tables.TryGetValue(key, out var current))
            {
                if (current.Revision >= change.Revision)
                {
                    return false;
                }

                if (_tables.TryUpdate(key, change, current))
                {
                    return true;
                }
            }
            else if (_tables.TryAdd(key, change))
            {
                return true;
            }
        }
    }
}
