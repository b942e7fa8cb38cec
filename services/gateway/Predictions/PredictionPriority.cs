using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// A request's priority, honoured within its tenant's allowance: a tenant may lower it (down to batch),
/// never raise it above what <see cref="PredictionOptions"/> grants it. Absent, it is asynchronous
/// (or the allowance, if lower).
/// </summary>
internal static class PredictionPriority
{
    public static int Effective(int? requested, string tenantId, PredictionOptions options)
    {
        var allowance = options.TenantMaxPriority.TryGetValue(tenantId, out var granted) ? granted : options.DefaultMaxPriority;
        var wanted = requested ?? InferencePriority.Asynchronous;
        return Math.Clamp(wanted, InferencePriority.Batch, allowance);
    }
}
