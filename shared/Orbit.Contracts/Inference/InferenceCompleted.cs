namespace Orbit.Contracts.Inference;

/// <summary>The successful answer to <see cref="InferenceRequested"/>.</summary>
public sealed record InferenceCompleted(
    string RequestId,
    string ModelName,
    int ModelVersion,
    IReadOnlyList<InferenceTensor> Outputs,
    string WorkerId,
    double QueueMilliseconds,
    double ComputeMilliseconds,
    int BatchSize);
