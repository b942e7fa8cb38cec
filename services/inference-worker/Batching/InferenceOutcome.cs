using Orbit.Contracts.Inference;

namespace Orbit.InferenceWorker.Batching;

/// <summary>What became of one request: its outputs, or why it was not answered with outputs.</summary>
internal sealed record InferenceOutcome(
    IReadOnlyList<InferenceTensor>? Outputs,
    RejectionReason? Reason,
    string? Detail,
    string? Field,
    double QueueMilliseconds,
    double ComputeMilliseconds,
    int BatchSize)
{
    public bool Succeeded => Outputs is not null;

    public static InferenceOutcome Completed(IReadOnlyList<InferenceTensor> outputs, double queueMilliseconds, double computeMilliseconds, int batchSize) =>
        new(outputs, null, null, null, queueMilliseconds, computeMilliseconds, batchSize);

    public static InferenceOutcome Rejected(RejectionReason reason, string detail, string? field = null, double queueMilliseconds = 0) =>
        new(null, reason, detail, field, queueMilliseconds, 0, 0);
}
