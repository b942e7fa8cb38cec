using System.Collections.Concurrent;
using Orbit.Contracts.Models;

namespace Orbit.InferenceWorker.Serving;

/// <summary>The routing table this worker applied for each model it serves (the newest revision it saw).</summary>
internal sealed class RoutingTables
{
    private readonly ConcurrentDictionary<(string Tenant, string Model), DeploymentChanged> _tables = new();

    public IReadOnlyCollection<DeploymentChanged> All => [.. _tables.Values];

    public DeploymentChanged? Get(string tenantId, string modelName) =>
        _tables.TryGetValue((tenantId, modelName), out var table) ? table : null;

    /// <summary>Stores <paramref name="change"/> unless a revision at least as new is already applied.</summary>
    public bool TryApply(DeploymentChanged change)
    {
        while (true)
        {
            var key = (change.TenantId, change.ModelName);
            if (!_tables.TryGetValue(key, out var current))
            {
                if (_tables.TryAdd(key, change))
                {
                    return true;
                }

                continue;
            }

            if (current.Revision >= change.Revision)
            {
                return false;
            }

            if (_tables.TryUpdate(key, change, current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The route a request should run on: the version it names, or (none named) one drawn by the
    /// table's weights. Null when the model or version is not deployed.
    /// </summary>
    public DeploymentRoute? Resolve(string tenantId, string modelName, int? version)
    {
        var table = Get(tenantId, modelName);
        if (table is null || table.Routes.Count == 0)
        {
            return null;
        }

        if (version is { } wanted)
        {
            return table.Routes.FirstOrDefault(r => r.Version == wanted);
        }

        var total = table.Routes.Sum(r => Math.Max(r.Weight, 0));
        if (total <= 0)
        {
            return table.Routes[0];
        }

        var draw = Random.Shared.Next(total);
        foreach (var route in table.Routes)
        {
            draw -= Math.Max(route.Weight, 0);
            if (draw < 0)
            {
                return route;
            }
        }

        return table.Routes[^1];
    }
}
