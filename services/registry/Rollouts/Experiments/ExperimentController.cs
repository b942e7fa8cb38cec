using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;
using Orbit.Registry.Rollouts.Evidence;

namespace Orbit.Registry.Rollouts.Experiments;

/// <summary>
/// Runs A/B experiments: starts the split, folds each arm's serving evidence into the stored tallies once per
/// interval (lagging the clock by <see cref="RolloutOptions.WindowSettleSeconds"/>), and at the end (its time is up, a
/// stop, or a deployment changed by hand) stores the final tallies and puts traffic back on the control unless the
/// experiment keeps its split. One lock serialises the tick, starts and stops, so a fold is never lost to a concurrent save.
/// </summary>
internal sealed partial class ExperimentController(
    ExperimentStore store,
    RolloutStore rollouts,
    DeploymentRepository deployments,
    ServingEvidence evidence,
    TimeProvider time,
    IOptions<RolloutOptions> options,
    ILogger<ExperimentController> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static Caller Actor(string tenant) => new("experiment-controller", tenant, Role.Admin);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<Outcome<Experiment>> StartAsync(Caller caller, string model, StartExperiment request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var deployment = await deployments.GetAsync(caller.TenantId, model, cancellationToken);
            if (deployment is null)
            {
                return Failure.NotFound($"model '{model}' is not deployed (or does not exist)");
            }

            var started = ExperimentRules.Start(request, deployment, caller.TenantId, model, options.Value, caller.Actor, time.GetUtcNow());
            if (started.Kind != OutcomeKind.Ok)
            {
                return started;
            }

            if (await store.RunningAsync(caller.TenantId, model, cancellationToken) is { } running)
            {
                return Failure.Conflict($"experiment {running.Id} is running: stop it first (./orbit experiment stop {model} {running.Id})");
            }

            if (await rollouts.LatestAsync(caller.TenantId, model, cancellationToken) is { Active: true } rollout)
            {
                return Failure.Conflict($"rollout {rollout.Id} is {rollout.State}: abort it first (./orbit rollout abort {model})");
            }

            var experiment = started.Value!;
            var others = experiment.Arms.Skip(1).Select(a => (a.Version, a.Weight)).ToList();
            var applied = await deployments.ApplyAsync(caller, model, "experiment-started",
                current => DeploymentRules.Experiment(current, experiment.Control.Version, others), cancellationToken);
            if (applied.Kind != OutcomeKind.Ok)
            {
                return new Outcome<Experiment>(applied.Kind, null, applied.Kind == OutcomeKind.Invalid ? "arms" : null, applied.Detail);
            }

            return await store.InsertAsync(experiment, caller, cancellationToken)
                ? experiment
                : Failure.Conflict("another experiment of this model started at the same moment");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends a running experiment now, with the evidence so far, and puts all traffic back on the control.</summary>
    public async Task<Outcome<Experiment>> StopAsync(Caller caller, string model, string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var experiment = await store.GetAsync(caller.TenantId, model, id, cancellationToken);
            if (experiment is null)
            {
                return Failure.NotFound($"model '{model}' has no experiment '{id}'");
            }

            if (experiment.State != Experiment.Running)
            {
                return Failure.Conflict($"experiment {id} already ended ({experiment.State})");
            }

            var now = time.GetUtcNow();
            var folded = Fold(experiment, Min(now, experiment.EndsAt));
            var deployment = await deployments.GetAsync(caller.TenantId, model, cancellationToken);
            if (Matches(deployment, experiment))
            {
                await deployments.ApplyAsync(caller, model, "experiment-stopped", DeploymentRules.EndExperiment, cancellationToken);
            }

            var ended = folded.Ended(Experiment.Stopped, $"stopped by {caller.Actor}", now);
            await store.SaveAsync(ended, caller, cancellationToken);
            LogEnded(logger, model, id, ended.State, ended.Reason!);
            return ended;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var experiment in await store.RunningAsync(cancellationToken))
            {
                var now = time.GetUtcNow();
                if (now - Settle >= experiment.EndsAt || now - Settle - experiment.CollectedTo >= experiment.Interval)
                {
                    await AdvanceAsync(experiment, now, cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task AdvanceAsync(Experiment experiment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actor = Actor(experiment.TenantId);
        var folded = Fold(experiment, Min(now - Settle, experiment.EndsAt));
        var deployment = await deployments.GetAsync(experiment.TenantId, experiment.Model, cancellationToken);
        if (!Matches(deployment, experiment))
        {
            var reason = $"the deployment was changed outside the experiment (now {Describe(deployment)})";
            await store.SaveAsync(folded.Ended(Experiment.Aborted, reason, now), actor, cancellationToken);
            LogEnded(logger, experiment.Model, experiment.Id, Experiment.Aborted, reason);
            return;
        }

        if (now - Settle < experiment.EndsAt)
        {
            await store.SaveAsync(folded, actor, cancellationToken);
            return;
        }

        if (experiment.OnEnd == Experiment.BackToControl)
        {
            // The deployment first: a registry stopping in between finds a running experiment whose deployment changed, and ends it.
            await deployments.ApplyAsync(actor, experiment.Model, "experiment-completed", DeploymentRules.EndExperiment, cancellationToken);
        }

        var done = folded.Ended(Experiment.Completed,
            experiment.OnEnd == Experiment.BackToControl ? "its time was up; all traffic is back on the control" : "its time was up; the split stays (onEnd: keep)", now);
        await store.SaveAsync(done, actor, cancellationToken);
        LogEnded(logger, experiment.Model, experiment.Id, done.State, done.Reason!);
    }

    /// <summary>
    /// How far folds lag the clock: a gateway publishes a window after it ends, so a fold up to "now" would pass windows
    /// still on their way and never count them. The split stays this long past the end for the last windows to arrive.
    /// </summary>
    private TimeSpan Settle => options.Value.WindowSettle;

    /// <summary>The experiment with every arm's windows that ended in (CollectedTo, <paramref name="to"/>] added.</summary>
    private Experiment Fold(Experiment e, DateTimeOffset to)
    {
        if (to <= e.CollectedTo)
        {
            return e;
        }

        var capacity = options.Value.ExperimentLatencySampleSize;
        var arms = e.Arms.Select(a => a.Add(evidence.Collect(e.TenantId, e.Model, a.Version, e.CollectedTo, to), capacity)).ToList();
        return e with { Arms = arms, CollectedTo = to };
    }

    /// <summary>Whether the deployment still routes exactly the experiment's arms at their weights.</summary>
    private static bool Matches(DeploymentView? deployment, Experiment e) =>
        deployment is { Strategy: DeploymentRules.Ab } d
        && d.Routes.Count == e.Arms.Count
        && e.Arms.All(a => d.Routes.Any(r => r.Version == a.Version && r.Weight == a.Weight))
        && d.StableVersion == e.Control.Version;

    private static string Describe(DeploymentView? d) =>
        d is null ? "not deployed" : $"{d.Strategy}: " + string.Join(", ", d.Routes.Select(r => $"v{r.Version} {r.Weight} %"));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(EventId = RegistryLogEvents.ExperimentEnded, Level = LogLevel.Information, Message = "Experiment {ExperimentId} of {Model} {State}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string model, string experimentId, string state, string reason);

    [LoggerMessage(EventId = RegistryLogEvents.ExperimentTickFailed, Level = LogLevel.Warning, Message = "Experiment tick failed; the next tick tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
