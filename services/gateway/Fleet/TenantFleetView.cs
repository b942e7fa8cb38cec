using System.Security.Cryptography;
using System.Text;
using Orbit.Contracts.Workers;

namespace Orbit.Gateway.Fleet;

/// <summary>
/// What a tenant may see of the fleet: the workers that serve one of its models, each showing only
/// that tenant's models. Everything that describes the shared machines or other tenants' load
/// (the worker's id and host, queue depth, batches, busy share, provider fallback text) is the
/// operator's: the id becomes an alias stable for the tenant, the numbers are zero.
/// </summary>
internal static class TenantFleetView
{
    public static IReadOnlyList<WorkerHeartbeat> For(string tenantId, IReadOnlyList<WorkerHeartbeat> workers) =>
        workers
            .Select(w => (Worker: w, Models: w.LoadedModels.Where(m => m.TenantId == tenantId).ToList()))
            .Where(w => w.Models.Count > 0)
            .Select(w => new WorkerHeartbeat(
                Alias(tenantId, w.Worker.WorkerId),
                Host: "",
                w.Worker.Device,
                w.Worker.Provider,
                w.Models,
                QueueDepth: 0,
                BatchesRun: 0,
                MeanBatchSize: 0,
                BusyFraction: 0,
                w.Worker.StartedAt,
                w.Worker.SentAt))
            .OrderBy(w => w.WorkerId, StringComparer.Ordinal)
            .ToList();

    /// <summary>The name a tenant knows a worker by: stable for that tenant, meaningless to any other.</summary>
    public static string Alias(string tenantId, string workerId) =>
        "worker-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId + "\n" + workerId)))[..12];
}
