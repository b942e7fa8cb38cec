using Orbit.Contracts.Inference;

namespace Orbit.Contracts.Batch;

/// <summary>
/// One chunk of a batch job, sent by the registry to queue <c>batch.{tenant}.{model}</c>
/// (<see cref="Wire.BatchAddresses"/>). It carries its rows as tensors (row-major, dimension 0 is the
/// row), so a worker needs nothing but the model: the version is named by its digest, which the
/// worker loads and verifies as for real-time requests. Answered with <see cref="BatchChunkCompleted"/>
/// or <see cref="BatchChunkFailed"/>; a redelivered chunk is answered again and the registry keeps one part.
/// </summary>
public sealed record BatchChunkRequested(
    string JobId,
    int Chunk,
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Digest,
    int Rows,
    IReadOnlyList<InferenceTensor> Inputs,
    int? MaxBatchSize = null);
