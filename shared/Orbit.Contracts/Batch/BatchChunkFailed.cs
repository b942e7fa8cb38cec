namespace Orbit.Contracts.Batch;

/// <summary>A chunk the worker could not run (the model failed, or its inputs do not fit the model): every row of it is an error.</summary>
public sealed record BatchChunkFailed(
    string JobId,
    int Chunk,
    string TenantId,
    string Reason,
    string WorkerId);
