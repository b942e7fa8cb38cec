namespace Orbit.Contracts.Inference;

/// <summary>
/// The expected failure answer to <see cref="InferenceRequested"/>: the request was not run, or
/// the model failed on this input. <see cref="Field"/> names the offending input when there is one.
/// </summary>
public sealed record InferenceRejected(
    string RequestId,
    string ModelName,
    RejectionReason Reason,
    string Detail,
    string? Field = null,
    string? WorkerId = null);
