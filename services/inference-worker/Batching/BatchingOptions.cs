namespace Orbit.InferenceWorker.Batching;

/// <summary>How one model version's requests are grouped (Triton's dynamic batcher settings).</summary>
internal sealed record BatchingOptions(int MaxBatchSize, TimeSpan MaxQueueDelay, IReadOnlyList<int> PreferredBatchSizes, int Concurrency)
{
    public static BatchingOptions From(WorkerOptions options) => new(
        options.MaxBatchSize,
        TimeSpan.FromTicks(options.MaxQueueDelayMicroseconds * TimeSpan.TicksPerMicrosecond),
        options.PreferredBatchSizes.Distinct().Order().ToArray(),
        options.Concurrency);
}
