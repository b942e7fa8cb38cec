namespace Orbit.Contracts.Workers;

/// <summary>Published by every inference worker every few seconds; the fleet is whoever sent one recently.</summary>
/// <param name="ProviderFallbackReason">
/// Why the configured execution provider (e.g. cuda:0) did not start and the worker runs on the next one, in
/// ONNX Runtime's words; null when it started (or no model is loaded yet). Optional: older workers omit it.
/// </param>
public sealed record WorkerHeartbeat(
    string WorkerId,
    string Host,
    string Device,
    string Provider,
    IReadOnlyList<LoadedModel> LoadedModels,
    int QueueDepth,
    long BatchesRun,
    double MeanBatchSize,
    double BusyFraction,
    DateTimeOffset StartedAt,
    DateTimeOffset SentAt,
    string? ProviderFallbackReason = null);

/// <summary>A version a worker serves.</summary>
/// <param name="Batching">
/// Whether the worker merges this version's requests into batches: only when its first dimensions are free, its
/// <c>serving.maxBatchSize</c> is not 0, and a load-time check found merged and one-by-one runs agree. Optional: older workers omit it.
/// </param>
/// <param name="BatchingReason">Why it batches or not, in a sentence (e.g. which output differed). Optional.</param>
/// <param name="MaxBatchSize">The most rows merged into one run for this version, when it batches. Optional.</param>
public sealed record LoadedModel(
    string TenantId,
    string ModelName,
    int Version,
    string Digest,
    string Provider,
    bool? Batching = null,
    string? BatchingReason = null,
    int? MaxBatchSize = null);
