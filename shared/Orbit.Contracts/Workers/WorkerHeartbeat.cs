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

public sealed record LoadedModel(string TenantId, string ModelName, int Version, string Digest, string Provider);
