using System.Collections.Concurrent;
using Orbit.Contracts.Models;

namespace Orbit.Routing;

/// <summary>
/// The routing table applied for each model (the newest revision that took effect here). An older
/// revision never replaces a newer one, so late, repeated or re-read tables are harmless.
/// </summary>
public sealed class RoutingTables
{
    private readonly ConcurrentDictionary<(string Tenant, string Model), DeploymentChanged> _tables = new();

    /// <summary>True once the tables in Redis were read and applied at least once.</summary>
    public bool Loaded { get; private set; }

    public IReadOnlyCollection<DeploymentChanged> All => [.. _tables.Values];

    public DeploymentChanged? Get(string tenantId, string modelName) => _tables.GetValueOrDefault((tenantId, modelName));

    public long RevisionOf(string tenantId, string modelName) => Get(tenantId, modelName)?.Revision ?? long.MinValue;

    /// <summary>Whether <paramref name="change"/> is newer than what is applied for its model.</summary>
    public bool IsNewer(DeploymentChanged change) => change.Revision > RevisionOf(change.TenantId, change.ModelName);

    /// <summary>Records <paramref name="change"/> as applied unless a revision at least as new already is.</summary>
    public bool TryApply(DeploymentChanged change)
    {
        var key = (change.TenantId, change.ModelName);
        while (true)
        {
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

    internal void MarkLoaded() => Loaded = true;
}
