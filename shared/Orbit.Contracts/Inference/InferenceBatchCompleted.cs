namespace Orbit.Contracts.Inference;

/// <summary>The answer to <see cref="InferenceBatchRequested"/>: one result per request, each completed or rejected.</summary>
public sealed record InferenceBatchCompleted(IReadOnlyList<InferenceBatchResult> Results);

/// <summary>Exactly one of <see cref="Completed"/> and <see cref="Rejected"/> is set.</summary>
public sealed record InferenceBatchResult(string RequestId, InferenceCompleted? Completed = null, InferenceRejected? Rejected = null);
