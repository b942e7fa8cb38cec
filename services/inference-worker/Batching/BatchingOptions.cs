namespace Orbit.InferenceWorker.Batching;

/// <summary>How one model version's requests are grouped (Triton's dynamic batcher settings).</summary>
internal sealed record BatchingOptions(int MaxBatchSize, TimeSpan MaxQueueDelay, IReadOnlyList<int> PreferredBatchSizes, int Concurrency)
{
    public static BatchingOptions From(WorkerOptions options) => new(
        options.MaxBatchSize,
        TimeSpan.FromTicks(options.MaxQueueDelayMicroseconds * TimeSpan.TicksPerMicrosecond),
        options.PreferredBatchSizes.Distinct().Order().ToArray(),
        options.Concurrency);

    /// <summary>These options under a version's own limit (null: none; 0, never merge, is one request per run).</summary>
    public BatchingOptions LimitedTo(int? versionMaxBatchSize)
    {
        if (versionMaxBatchSize is not { } limit || limit >= MaxBatchSize)
        {
            return this;
        }

        var max = Math.Max(1, limit);
        return this with { MaxBatchSize = max, PreferredBatchSizes = [.. PreferredBatchSizes.Where(s => s <= max)] };
    }
}
