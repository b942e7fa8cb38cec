using Orbit.Contracts.Inference;

namespace Orbit.Contracts.Batch;

/// <summary>A chunk's outputs, one row per input row of the chunk, in its order.</summary>
public sealed record BatchChunkCompleted(
    string JobId,
    int Chunk,
    string TenantId,
    IReadOnlyList<InferenceTensor> Outputs,
    string WorkerId,
    double ComputeMilliseconds);
