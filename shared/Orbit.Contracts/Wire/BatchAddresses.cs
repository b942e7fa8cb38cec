namespace Orbit.Contracts.Wire;

/// <summary>
/// Batch-job chunks of a model travel on queue <c>batch.{tenant}.{model}</c> (exchange of the same name),
/// apart from the real-time queues, so a worker takes them only when no real-time work waits.
/// </summary>
public static class BatchAddresses
{
    public const string Prefix = "batch.";

    public static string Queue(string tenantId, string modelName) => $"{Prefix}{tenantId}.{modelName}";

    /// <summary>
    /// The registry's queue for workers' answers (<see cref="Batch.BatchChunkCompleted"/>, <see cref="Batch.BatchChunkFailed"/>).
    /// Workers send to it by name, which declares it: an answer is kept even while no registry runs.
    /// </summary>
    public const string ResultsQueue = "registry.batch-chunk-results";
}
