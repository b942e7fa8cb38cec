using System.ComponentModel.DataAnnotations;
using Orbit.Retrainer.Gate;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer;

/// <summary><c>Orbit:Retrainer</c>: where the registry is, the trigger policy, the data, the gate, and per-model settings.</summary>
public sealed class RetrainerOptions : IValidatableObject
{
    public const string Section = "Orbit:Retrainer";

    /// <summary>The registry the retrainer reads versions from and registers candidates in.</summary>
    [Required]
    [Url]
    public string RegistryUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>
    /// The key for the registry when <see cref="TenantKeys"/> has none for the model's tenant. A key of the platform
    /// tenant (<c>admin</c>) role admin lets the retrainer issue itself a deployer key per tenant (kept in memory).
    /// <c>./orbit up</c> passes the admin key.
    /// </summary>
    public string? RegistryKey { get; set; }

    /// <summary>A deployer key per tenant (<c>Orbit:Retrainer:TenantKeys:acme</c>).</summary>
    public Dictionary<string, string> TenantKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A PostgreSQL connection string for the retrainer's store; empty means SQLite (<c>retrainer.db</c> in the data directory).</summary>
    public string? Postgres { get; set; }

    /// <summary>Triggers for a model within this many seconds of the last one acted on are recorded and skipped.</summary>
    [Range(0, 86_400)]
    public int DebounceSeconds { get; set; } = 300;

    /// <summary>After a retrain that registered a version, automatic triggers wait this long (explicit requests do not).</summary>
    [Range(0, 24 * 365)]
    public double CooldownHours { get; set; } = 24;

    /// <summary>The Redis lease (one retrain per model at a time) expires this long after its last renewal, so a crashed retrainer frees it.</summary>
    [Range(5, 3_600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often pending attempts are looked for (they are also started at once when accepted).</summary>
    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 10;

    /// <summary>Whether <c>RetrainRequested.ShuffleLabels</c> and <c>ForcePastGate</c> are honoured (test platforms only).</summary>
    public bool AllowRequestOverrides { get; set; }

    public DataSettings Data { get; set; } = new();

    public GateSettings Gate { get; set; } = new();

    /// <summary>Per-model settings; a model without an entry gets the defaults.</summary>
    public List<ModelRetrainSettings> Models { get; set; } = [];

    public ModelRetrainSettings For(string tenant, string model) =>
        Models.FirstOrDefault(m => m.Tenant == tenant && m.Model == model) ?? new ModelRetrainSettings { Tenant = tenant, Model = model };

    /// <summary>The model's cooldown after a registered version: its own setting, else the global one.</summary>
    public TimeSpan CooldownFor(ModelRetrainSettings model) => TimeSpan.FromHours(model.CooldownHours ?? CooldownHours);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in Nested(Data, nameof(Data)).Concat(Nested(Gate, nameof(Gate))))
        {
            yield return result;
        }

        for (var i = 0; i < Models.Count; i++)
        {
            var prefix = $"{nameof(Models)}:{i}:";
            var model = Models[i];
            foreach (var result in Nested(model, $"{nameof(Models)}:{i}"))
            {
                yield return result;
            }

            if (model.Recipe is { } recipe && !Recipes.ByName.ContainsKey(recipe))
            {
                yield return new ValidationResult(
                    $"must be one of {string.Join(", ", Recipes.ByName.Keys)}", [prefix + nameof(model.Recipe)]);
            }

            if (model.PrimaryMetric is { } metric && !ModelMetrics.Known.Contains(metric))
            {
                yield return new ValidationResult($"must be one of {string.Join(", ", ModelMetrics.Known)}", [prefix + nameof(model.PrimaryMetric)]);
            }

            foreach (var guard in model.GuardMetrics ?? [])
            {
                if (!ModelMetrics.Known.Contains(guard))
                {
                    yield return new ValidationResult($"'{guard}' must be one of {string.Join(", ", ModelMetrics.Known)}", [prefix + nameof(model.GuardMetrics)]);
                }
            }

            if (model.Trainer is { } trainer && string.IsNullOrWhiteSpace(trainer.Command))
            {
                yield return new ValidationResult("is required when Trainer is given", [prefix + "Trainer:Command"]);
            }
        }
    }

    private static IEnumerable<ValidationResult> Nested(object value, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{prefix}:{m}")));
    }
}

/// <summary><c>Orbit:Retrainer:Data</c>: how the labelled data set is read.</summary>
public sealed class DataSettings
{
    /// <summary>Logged predictions younger than this are used.</summary>
    [Range(0.001, 24 * 365)]
    public double PeriodHours { get; set; } = 168;

    /// <summary>The prediction log stream.</summary>
    [Required]
    public string PredictionsStream { get; set; } = Orbit.Hosting.Streams.StreamNames.Predictions;

    /// <summary>The outcomes stream.</summary>
    [Required]
    public string OutcomesStream { get; set; } = Orbit.Hosting.Streams.StreamNames.Outcomes;

    /// <summary>A stream read ends after this long without a new record (the streams never end by themselves).</summary>
    [Range(50, 60_000)]
    public int IdleMilliseconds { get; set; } = 1500;

    /// <summary>How long a stream read waits for its first record (attaching a consumer takes a while); an empty stream costs this much.</summary>
    [Range(50, 120_000)]
    public int FirstRecordMilliseconds { get; set; } = 5000;

    /// <summary>The folder registered datasets (CSV) must lie under; empty: datasets are not allowed.</summary>
    public string? DatasetRoot { get; set; }

    /// <summary>Share of the logged labelled rows held out for the gate (chosen by a hash of each row).</summary>
    [Range(5, 50)]
    public int HoldoutPercent { get; set; } = 20;

    /// <summary>Fewer labelled training rows than this fail the attempt.</summary>
    [Range(2, 100_000_000)]
    public int MinRows { get; set; } = 50;

    /// <summary>Fewer held-out rows than this fail the attempt.</summary>
    [Range(1, 100_000_000)]
    public int MinHoldoutRows { get; set; } = 20;
}

/// <summary><c>Orbit:Retrainer:Gate</c>: the defaults of the validation gate.</summary>
public sealed class GateSettings
{
    /// <summary>How much the candidate must beat the stable version on the primary metric (absolute).</summary>
    [Range(0, 1_000_000)]
    public double MinImprovement { get; set; } = 0.005;

    /// <summary>How much worse than stable the candidate may be on each guard metric (absolute).</summary>
    [Range(0, 1_000_000)]
    public double Tolerance { get; set; } = 0.02;
}

/// <summary>One entry of <c>Orbit:Retrainer:Models</c>.</summary>
public sealed class ModelRetrainSettings
{
    [Required]
    public string Tenant { get; set; } = "";

    [Required]
    public string Model { get; set; } = "";

    /// <summary><c>logistic-regression</c>, <c>boosted-trees</c>, <c>linear-regression</c>, <c>regression-trees</c>; default from the model's metadata.</summary>
    public string? Recipe { get; set; }

    /// <summary>An external trainer instead of a recipe.</summary>
    public ExternalTrainerSettings? Trainer { get; set; }

    /// <summary>Retrain every this many minutes (a scheduled trigger); absent: no schedule.</summary>
    [Range(1, 525_600)]
    public int? ScheduleMinutes { get; set; }

    [Range(0, 86_400)]
    public int? DebounceSeconds { get; set; }

    [Range(0, 24 * 365)]
    public double? CooldownHours { get; set; }

    [Range(0.001, 24 * 365)]
    public double? PeriodHours { get; set; }

    /// <summary>
    /// A CSV under <c>Data:DatasetRoot</c> (relative path) merged into the training rows: the original training set. When the
    /// registry has no such model yet, a trigger trains version 1 from the dataset alone (its columns but the label are
    /// the features, in file order).
    /// </summary>
    public string? Dataset { get; set; }

    /// <summary>
    /// Whether retrains after the first merge <see cref="Dataset"/> into the served rows (default). Off: the dataset only
    /// trains version 1, and later versions learn from what was served, so their baselines describe today's traffic.
    /// </summary>
    public bool MergeDataset { get; set; } = true;

    /// <summary>The dataset's label column.</summary>
    public string LabelColumn { get; set; } = "label";

    /// <summary>The outcome label that means class 1 (<c>true</c> and <c>1</c> always do).</summary>
    public string PositiveLabel { get; set; } = "1";

    /// <summary>The name a retrained classifier gives class 0 in its metadata's <c>classes</c>, which predictions are logged as.</summary>
    public string NegativeLabel { get; set; } = "0";

    /// <summary><c>auc</c> (default for classifiers), <c>accuracy</c>, or <c>rmse</c> (default for regressors).</summary>
    public string? PrimaryMetric { get; set; }

    /// <summary>Metrics that may not regress by more than the tolerance; default <c>accuracy</c>, <c>logloss</c> / <c>mae</c>.</summary>
    public List<string>? GuardMetrics { get; set; }

    public double? MinImprovement { get; set; }

    public double? Tolerance { get; set; }

    /// <summary>Absolute bounds the candidate must meet: metric → minimum (for auc, accuracy) or maximum (for logloss, rmse, mae).</summary>
    public Dictionary<string, double> Bounds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Register the candidate even when it fails the gate (the decision still records why). For testing rollbacks.</summary>
    public bool ForcePastGate { get; set; }
}
