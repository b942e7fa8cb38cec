namespace Orbit.Contracts.Workers;

/// <summary>Published by every inference worker every few seconds; the fleet is whoever sent one recently.</summary>
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
    DateTimeOffset SentAt);

public sealed record LoadedModel(string TenantId, string ModelName, int Version, string Digest, string Provider);
