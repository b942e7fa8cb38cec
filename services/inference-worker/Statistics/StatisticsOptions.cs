using System.ComponentModel.DataAnnotations;

namespace Orbit.InferenceWorker.Statistics;

/// <summary><c>Orbit:Worker:Statistics</c>: the per-window feature and prediction statistics, and the prediction log.</summary>
internal sealed class StatisticsOptions
{
    public const string Section = "Orbit:Worker:Statistics";

    /// <summary>Stream of the windows (<c>orbit.stats</c>); tests use their own.</summary>
    [Required]
    public string StatsStream { get; set; } = Orbit.Hosting.Streams.StreamNames.Stats;

    /// <summary>Stream of the prediction log (<c>orbit.predictions</c>).</summary>
    [Required]
    public string PredictionsStream { get; set; } = Orbit.Hosting.Streams.StreamNames.Predictions;

    /// <summary>Off: no statistics and no prediction log; requests are served as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each version's window is published to <c>orbit.stats</c>.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Served requests waiting to be summarised; when full, a request is not summarised (counted), never delayed.</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>How often the background collector takes the served requests queued since the last time.</summary>
    [Range(1, 10_000)]
    public int DrainMilliseconds { get; set; } = 50;

    /// <summary>Categories not in the baseline that a window counts by name, per feature; the rest count as <c>__other__</c>.</summary>
    [Range(0, 10_000)]
    public int MaxUnseenCategories { get; set; } = 20;

    /// <summary>Share of requests logged to <c>orbit.predictions</c> without asking (<c>parameters.log_prediction</c>); 0 logs only those that ask.</summary>
    [Range(0.0, 1.0)]
    public double PredictionLogSampleRate { get; set; } = 1.0;

    /// <summary>
    /// Rows per prediction log entry: the logged requests of a drain are published as one entry per version, and an
    /// entry is sent as soon as it holds this many rows (a request is never split, so one may hold more).
    /// </summary>
    [Range(1, 100_000)]
    public int PredictionLogMaxRows { get; set; } = 500;

    /// <summary>Windows kept while the broker is unreachable; past it the oldest is dropped (counted).</summary>
    [Range(1, 100_000)]
    public int MaxPendingWindows { get; set; } = 1_000;

    /// <summary>Wait before asking the registry again for a version's metadata after it failed.</summary>
    [Range(1, 3600)]
    public int MetadataRetrySeconds { get; set; } = 15;
}
