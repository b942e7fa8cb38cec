using System.ComponentModel.DataAnnotations;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor;

/// <summary>The drift monitor's settings (<c>Orbit:DriftMonitor</c>).</summary>
internal sealed class DriftMonitorOptions : IValidatableObject
{
    public const string Section = "Orbit:DriftMonitor";

    /// <summary>Where baselines are read (a version's metadata).</summary>
    [Required]
    [Url]
    public string RegistryUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>A platform-tenant viewer key: it reads every tenant's versions and checks the API's keys.</summary>
    public string? RegistryKey { get; set; }

    /// <summary>A PostgreSQL connection string; without one the store is SQLite under the data directory.</summary>
    public string? Postgres { get; set; }

    /// <summary>The sliding evaluation window: windows that ended this long ago or less are merged.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int WindowSeconds { get; set; } = 300;

    [Range(1, 24 * 3600)]
    public int EvaluateEverySeconds { get; set; } = 30;

    /// <summary>Rows in the window below which a version is <c>insufficient_data</c>: scored, never alerted.</summary>
    [Range(1, long.MaxValue)]
    public long MinSampleSize { get; set; } = 200;

    /// <summary>Evaluations in a row past a threshold to enter a level, and on the safe side of its clear threshold to leave it.</summary>
    [Range(1, 1000)]
    public int Consecutive { get; set; } = 3;

    /// <summary>Clear threshold = this × the threshold (÷ for p-values).</summary>
    [Range(0.01, 1.0)]
    public double ClearFactor { get; set; } = 0.8;

    [Required]
    public string StatsStream { get; set; } = StreamNames.Stats;

    /// <summary>The queue that receives <c>StreamMessageRejected</c> for messages that cannot be used.</summary>
    [Required]
    public string ErrorQueue { get; set; } = "orbit.stats_error";

    /// <summary>The most stream messages committed (offset and windows) in one transaction.</summary>
    [Range(1, 100_000)]
    public int CommitBatch { get; set; } = 500;

    /// <summary>Evaluations kept per feature for the time series.</summary>
    [Range(1, 100_000)]
    public int SeriesPoints { get; set; } = 500;

    [Required]
    public string PredictionsStream { get; set; } = StreamNames.Predictions;

    [Required]
    public string OutcomesStream { get; set; } = StreamNames.Outcomes;

    /// <summary>The joined outcomes (most recent first) the rolling accuracy, MAE and RMSE are computed over.</summary>
    [Range(1, 1_000_000)]
    public int AccuracyRows { get; set; } = 500;

    /// <summary>Joined outcomes below which a version's accuracy is shown but never alerted.</summary>
    [Range(1, 1_000_000)]
    public int AccuracyMinSamples { get; set; } = 50;

    /// <summary>Relative degradation against the metadata's metric (accuracy drop, MAE/RMSE rise) for warning and critical.</summary>
    [Range(0.0, 10.0)]
    public double AccuracyWarning { get; set; } = 0.05;

    [Range(0.0, 10.0)]
    public double AccuracyCritical { get; set; } = 0.10;

    /// <summary>How long an outcome waits for its prediction log before it is counted as unknown.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int PendingOutcomeSeconds { get; set; } = 3600;

    /// <summary>The most outcomes waiting at once; beyond it the oldest are counted as unknown.</summary>
    [Range(1, 10_000_000)]
    public int PendingOutcomeLimit { get; set; } = 100_000;

    /// <summary>How long logged predictions are kept for the join.</summary>
    [Range(60, 90 * 24 * 3600)]
    public int PredictionRetentionSeconds { get; set; } = 2 * 24 * 3600;

    /// <summary>Per model name: its own window and cadence.</summary>
    public Dictionary<string, ModelDriftOptions> Models { get; set; } = new(StringComparer.Ordinal);

    public int WindowOf(string model) => Models.GetValueOrDefault(model)?.WindowSeconds ?? WindowSeconds;

    public int EvaluateEveryOf(string model) => Models.GetValueOrDefault(model)?.EvaluateEverySeconds ?? EvaluateEverySeconds;

    public long MinSampleSizeOf(string model) => Models.GetValueOrDefault(model)?.MinSampleSize ?? MinSampleSize;

    public int LongestWindow => Models.Values.Select(m => m.WindowSeconds ?? 0).Append(WindowSeconds).Max();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, model) in Models)
        {
            if (model.WindowSeconds is < 1 || model.EvaluateEverySeconds is < 1 || model.MinSampleSize is < 1)
            {
                yield return new ValidationResult("must be at least 1", [$"{nameof(Models)}:{name}"]);
            }
        }
    }
}

internal sealed class ModelDriftOptions
{
    public int? WindowSeconds { get; set; }

    public int? EvaluateEverySeconds { get; set; }

    public long? MinSampleSize { get; set; }
}
