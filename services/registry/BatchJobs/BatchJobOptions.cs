using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.BatchJobs;

/// <summary><c>Orbit:Registry:Batch</c>: limits and pacing of batch jobs.</summary>
public sealed class BatchJobOptions
{
    public const string Section = "Orbit:Registry:Batch";

    /// <summary>The largest accepted input file (default 2 GiB); a larger one is answered 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxInputBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    [Range(1, 1_000_000)]
    public int DefaultChunkSize { get; set; } = 1000;

    [Range(1, 1_000_000)]
    public int MaxChunkSize { get; set; } = 100_000;

    /// <summary>Chunks of one job on the queues or running at once; more are sent as these complete.</summary>
    [Range(1, 10_000)]
    public int MaxChunksInFlight { get; set; } = 16;

    /// <summary>The share of rows that may fail (unreadable, wrong value count, or failed by the model) before a job fails as a whole.</summary>
    [Range(0.0, 1.0)]
    public double DefaultMaxErrorRatio { get; set; } = 0.01;

    /// <summary>A chunk sent this long ago without an answer is sent again (its part is written once either way).</summary>
    [Range(1, 86_400)]
    public int ResendAfterSeconds { get; set; } = 600;

    /// <summary>How often the scheduler looks at running jobs when nothing wakes it.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 500;
}
