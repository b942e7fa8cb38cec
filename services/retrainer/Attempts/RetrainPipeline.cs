using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Retraining;
using Orbit.Hosting;
using Orbit.Retrainer.Data;
using Orbit.Retrainer.Gate;
using Orbit.Retrainer.Registration;
using Orbit.Retrainer.Storage;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Attempts;

/// <summary>
/// One accepted attempt, step by step: the model and its stable version from the registry, the labelled rows from
/// the streams (and the dataset), the snapshot, training, the ONNX check, the gate against stable on the same
/// held-out rows, then registration and <see cref="ModelVersionProposed"/>. Every expected fault ends as a
/// <c>failed</c> result with its reason; nothing reaches the registry unless the gate passed.
/// </summary>
internal sealed class RetrainPipeline(
    RegistryClient registry,
    LoggedDataReader reader,
    RetrainStore store,
    MlNetTrainer mlnet,
    ExternalTrainer external,
    IBus bus,
    IOptions<RetrainerOptions> options,
    OrbitServiceInfo service,
    TimeProvider time)
{
    public async Task<AttemptResult> RunAsync(RetrainAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await RunStepsAsync(attempt, cancellationToken);
        }
        catch (AttemptFailedException ex)
        {
            return Failed(ex.Message);
        }
        catch (RegistryException ex)
        {
            return Failed(ex.Message);
        }
        catch (TrainerFailedException ex)
        {
            return Failed("the trainer failed: " + ex.Message);
        }
        catch (InvalidModelException ex)
        {
            return Failed("the trained model was refused: " + ex.Message);
        }
        catch (DatasetException ex)
        {
            return Failed(ex.Message);
        }
    }

    private async Task<AttemptResult> RunStepsAsync(RetrainAttempt attempt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var model = settings.For(attempt.TenantId, attempt.Model);
        var (stableVersion, schema, stableDigest) = await StableAsync(attempt, model, cancellationToken);

        var recipe = model.Recipe is { } name ? Recipes.ByName[name] : (Recipe?)null;
        var task = recipe is { } r ? Recipes.TaskOf(r) : schema.Task;
        // A first version is trained from the dataset alone: there is nothing served to learn from yet.
        var data = stableVersion is null
            ? new LoggedData(schema.Features, [], 0, 0, 0, 0, 0, null)
            : await ReadDataAsync(attempt, model, task, cancellationToken);
        task ??= data.Task ?? LearningTask.BinaryClassification;
        var featureNames = schema.Features.Count > 0 ? schema.Features : data.FeatureNames;
        if (!featureNames.SequenceEqual(data.FeatureNames))
        {
            throw new AttemptFailedException(
                $"the logged feature names [{string.Join(", ", data.FeatureNames)}] differ from version {stableVersion}'s metadata [{string.Join(", ", featureNames)}]");
        }

        var dataset = model.Dataset is { } path && (stableVersion is null || model.MergeDataset)
            ? DatasetLoader.Load(settings.Data.DatasetRoot, path, featureNames, model.LabelColumn, task.Value, model.PositiveLabel)
            : ((float[][], double[])?)null;
        var set = TrainingSet.Build(task.Value, featureNames, data.Examples, dataset, settings.Data.HoldoutPercent);
        if (set.Training.Rows < settings.Data.MinRows || set.Holdout.Rows < settings.Data.MinHoldoutRows)
        {
            throw new AttemptFailedException(
                $"too little labelled data: {set.Training.Rows} training rows (at least {settings.Data.MinRows}) and {set.Holdout.Rows} held out (at least {settings.Data.MinHoldoutRows}) from {data.Examples.Count} joined rows");
        }

        var training = attempt.ShuffleLabels ? Shuffled(set.Training) : set.Training;
        var (snapshotHash, _) = await DataSnapshot.StoreAsync(set.All, service.DataDirectory, cancellationToken);

        var candidate = await TrainAsync(attempt, model, recipe ?? Recipes.DefaultFor(task.Value), training, cancellationToken);
        OnnxVerifier.Verify(candidate, training);
        var (candidateMetrics, trainingScores, scoreOutput) = Score(candidate.Onnx, set.Holdout, training);
        var (stableMetrics, stableNote) = await ScoreStableAsync(attempt.TenantId, stableDigest, set.Holdout, cancellationToken);

        var rules = Rules(settings, model, task.Value, attempt.ForceGate);
        var decision = ValidationGate.Decide(rules, candidateMetrics, stableMetrics);
        var reason = $"gate {decision.Reason}{stableNote} ({set.Training.Rows} training rows, {set.Holdout.Rows} held out{(attempt.ShuffleLabels ? ", labels shuffled" : "")})";
        var result = new AttemptResult(
            AttemptStatus.Rejected, reason, stableVersion, null, Finite(candidateMetrics), stableMetrics is null ? null : Finite(stableMetrics),
            snapshotHash, candidate.Trainer);
        if (!decision.Passed)
        {
            return result;
        }

        var prediction = task == LearningTask.BinaryClassification
            ? new PredictionNaming(scoreOutput, [model.NegativeLabel, model.PositiveLabel])
            : new PredictionNaming(scoreOutput, null);
        var metadata = VersionMetadataBuilder.Build(
            training, trainingScores, prediction, schema.Target ?? "label", candidateMetrics, stableVersion, snapshotHash, candidate.Trainer, attempt.Id, time.GetUtcNow());
        var version = await registry.UploadAsync(attempt.TenantId, attempt.Model, candidate.Onnx, metadata, cancellationToken);
        await bus.Publish(new ModelVersionProposed(
            attempt.TenantId, attempt.Model, version.Version, stableVersion, snapshotHash, candidate.Trainer,
            result.CandidateMetrics!, result.StableMetrics, attempt.Id, decision.Forced, time.GetUtcNow()), cancellationToken);
        var rollout = await ProposeAsync(attempt, version.Version, stableVersion, cancellationToken);
        return result with { Status = AttemptStatus.Registered, CandidateVersion = version.Version, Reason = $"{reason}; registered as version {version.Version}; {rollout}" };
    }

    /// <summary>
    /// What the registry did with the new version: a first version (no stable yet) is left for a person to deploy; a
    /// registry that cannot be asked is noted, not fatal: the version is registered and can be rolled out by hand.
    /// </summary>
    private async Task<string> ProposeAsync(RetrainAttempt attempt, int version, int? stableVersion, CancellationToken cancellationToken)
    {
        if (stableVersion is null)
        {
            return "no stable version to roll out against: deploy it with ./orbit deploy";
        }

        try
        {
            var answer = await registry.ProposeAsync(attempt.TenantId, attempt.Model, version, "retrain " + attempt.Id, cancellationToken);
            return answer.Started ? $"rollout {answer.RolloutId}: {answer.Reason}" : $"no rollout started: {answer.Reason}";
        }
        catch (RegistryException ex)
        {
            return $"the proposal could not be made ({ex.Message}); roll it out with ./orbit rollout start";
        }
    }

    private async Task<(int? Version, ModelSchema Schema, string? Digest)> StableAsync(
        RetrainAttempt attempt, ModelRetrainSettings model, CancellationToken cancellationToken)
    {
        var view = await registry.GetModelAsync(attempt.TenantId, attempt.Model, cancellationToken);
        if (view is null)
        {
            if (model.Dataset is not { } dataset)
            {
                throw new AttemptFailedException($"unknown model: tenant '{attempt.TenantId}' has no model '{attempt.Model}'");
            }

            var features = DatasetLoader.FeatureColumns(options.Value.Data.DatasetRoot, dataset, model.LabelColumn);
            return (null, new ModelSchema(features, model.LabelColumn, null), null);
        }

        var stable = view.Deployment?.StableVersion ?? view.LatestVersion
            ?? throw new AttemptFailedException($"model '{attempt.Model}' has no version to start from");
        var version = await registry.GetVersionAsync(attempt.TenantId, attempt.Model, stable, cancellationToken)
            ?? throw new AttemptFailedException($"version {stable} of '{attempt.Model}' is gone");
        return (stable, ModelSchema.From(version.Metadata), version.Digest);
    }

    private async Task<LoggedData> ReadDataAsync(RetrainAttempt attempt, ModelRetrainSettings model, LearningTask? task, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var period = TimeSpan.FromHours(model.PeriodHours ?? settings.Data.PeriodHours);
        var positions = await store.PositionsAsync(attempt.TenantId, attempt.Model, cancellationToken);
        var (data, next) = await reader.ReadAsync(
            attempt.TenantId, attempt.Model, time.GetUtcNow() - period, task, model.PositiveLabel, positions, settings.Data, cancellationToken);
        await store.SavePositionsAsync(attempt.TenantId, attempt.Model, next, cancellationToken);
        if (data.Outcomes == 0)
        {
            throw new AttemptFailedException(
                $"no labelled data: no outcomes for this model in the last {period.TotalHours:0.##} h ({data.PredictionRows} logged prediction rows)");
        }

        if (data.Examples.Count == 0)
        {
            throw new AttemptFailedException(
                $"no labelled data: {data.Outcomes} outcomes, none joins a logged prediction ({data.Unmatched} without one, {data.OtherSchema} under other feature names, {data.Unparsable} unreadable)");
        }

        return data;
    }

    private async Task<TrainedModel> TrainAsync(
        RetrainAttempt attempt, ModelRetrainSettings model, Recipe recipe, TrainingTable training, CancellationToken cancellationToken)
    {
        if (model.Trainer is { } trainer)
        {
            var work = Path.Combine(service.DataDirectory, "attempts", attempt.Id);
            return await external.TrainAsync(trainer, training, work, cancellationToken);
        }

        // ML.NET trains synchronously and CPU-bound: off the caller's thread.
        return await Task.Run(() => mlnet.Train(training, recipe), cancellationToken);
    }

    private static (Dictionary<string, double> Holdout, double[] Training, string Output) Score(byte[] onnx, TrainingTable holdout, TrainingTable training)
    {
        using var scorer = OnnxScorer.Load(onnx, holdout.Task, holdout.Width);
        return (Metrics(holdout, scorer.Score(holdout.Features)), scorer.Score(training.Features), scorer.OutputName);
    }

    private async Task<(Dictionary<string, double>? Metrics, string Note)> ScoreStableAsync(
        string tenant, string? digest, TrainingTable holdout, CancellationToken cancellationToken)
    {
        if (digest is null)
        {
            return (null, "; no stable version yet: this is the first");
        }

        var bytes = await registry.DownloadAsync(tenant, digest, cancellationToken);
        try
        {
            using var scorer = OnnxScorer.Load(bytes, holdout.Task, holdout.Width);
            return (Metrics(holdout, scorer.Score(holdout.Features)), "");
        }
        catch (InvalidModelException ex)
        {
            return (null, $"; the stable version could not be scored on these rows ({ex.Message}), so only the bounds applied");
        }
    }

    private static Dictionary<string, double> Metrics(TrainingTable table, double[] scores) =>
        table.Task == LearningTask.BinaryClassification
            ? ModelMetrics.Classification(table.Labels, scores)
            : ModelMetrics.Regression(table.Labels, scores);

    private static GateRules Rules(RetrainerOptions settings, ModelRetrainSettings model, LearningTask task, bool forced)
    {
        var classifier = task == LearningTask.BinaryClassification;
        var primary = model.PrimaryMetric ?? (classifier ? ModelMetrics.Auc : ModelMetrics.Rmse);
        IReadOnlyList<string> guards = model.GuardMetrics
            ?? (classifier ? [ModelMetrics.Accuracy, ModelMetrics.LogLoss] : [ModelMetrics.Mae]);
        return new GateRules(
            primary, guards, model.MinImprovement ?? settings.Gate.MinImprovement, model.Tolerance ?? settings.Gate.Tolerance,
            model.Bounds, model.ForcePastGate || forced);
    }

    /// <summary>The same rows with their labels permuted (a seeded shuffle): a deliberately bad candidate.</summary>
    private static TrainingTable Shuffled(TrainingTable table)
    {
        var labels = (double[])table.Labels.Clone();
        new Random(20261130).Shuffle(labels);
        return table with { Labels = labels };
    }

    private static Dictionary<string, double> Finite(Dictionary<string, double> metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)).ToDictionary();

    private static AttemptResult Failed(string reason) => new(AttemptStatus.Failed, reason);
}
