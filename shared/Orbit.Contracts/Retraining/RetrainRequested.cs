namespace Orbit.Contracts.Retraining;

/// <summary>
/// Asks the retrainer to retrain a model now (<c>./orbit retrain MODEL</c>, or any publisher). An explicit request
/// skips the debounce window and the cooldown, not the one-at-a-time lease. <see cref="ShuffleLabels"/> and
/// <see cref="ForcePastGate"/> are honoured only where <c>Orbit:Retrainer:AllowRequestOverrides</c> is on (test
/// platforms: a deliberately bad candidate, a candidate forced into a canary).
/// </summary>
public sealed record RetrainRequested(
    string TenantId,
    string ModelName,
    string? Reason = null,
    string? RequestedBy = null,
    bool ShuffleLabels = false,
    bool ForcePastGate = false);
