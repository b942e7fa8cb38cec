using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Retraining;
using Orbit.Retrainer.Storage;
using Orbit.Retrainer.Triggers;

namespace Orbit.Retrainer.Attempts;

/// <summary>
/// Runs accepted attempts one after another, each under the model's Redis lease (renewed while it runs, released
/// when it ends however it ends). An attempt that another retrainer holds the lease for is recorded as skipped. At
/// start, attempts a crash left <c>running</c> whose lease has expired are put back to <c>pending</c>, and run again.
/// </summary>
internal sealed partial class AttemptRunner(
    RetrainStore store,
    RetrainLease lease,
    RetrainPipeline pipeline,
    AttemptSignal signal,
    IBus bus,
    Metrics.RetrainMetrics metrics,
    IOptions<RetrainerOptions> options,
    TimeProvider time,
    ILogger<AttemptRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RequeueOrphansAsync(stoppingToken);
                await ReleaseDeferredAsync(stoppingToken);
                foreach (var attempt in await store.WithStatusAsync(AttemptStatus.Pending, stoppingToken))
                {
                    await RunAsync(attempt, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store, Redis or the bus is down: the next round tries again; pending attempts stay pending.
                LogCrashed(logger, ex, "(poll)", ex.Message);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), time, stoppingToken);
        }
    }

    private async Task RequeueOrphansAsync(CancellationToken cancellationToken)
    {
        foreach (var attempt in await store.WithStatusAsync(AttemptStatus.Running, cancellationToken))
        {
            if (await lease.HolderAsync(attempt.TenantId, attempt.Model) is null)
            {
                LogRequeued(logger, attempt.Id, attempt.TenantId, attempt.Model);
                await store.MarkAsync(attempt.Id, AttemptStatus.Pending, null, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Deferred triggers whose model's cooldown has ended become pending; one that a version registered after it has
    /// answered is skipped as superseded (it was about the version that has since been replaced).
    /// </summary>
    private async Task ReleaseDeferredAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var attempt in await store.WithStatusAsync(AttemptStatus.Deferred, cancellationToken))
        {
            var (_, lastRegistered) = await store.HistoryAsync(attempt.TenantId, attempt.Model, cancellationToken);
            if (lastRegistered is { } registered && registered > attempt.CreatedAt)
            {
                await FinishAsync(attempt, new AttemptResult(AttemptStatus.Skipped,
                    $"superseded: a version was registered at {registered:O}, after this trigger"), cancellationToken);
                continue;
            }

            var cooldown = settings.CooldownFor(settings.For(attempt.TenantId, attempt.Model));
            if ((lastRegistered is null || time.GetUtcNow() - lastRegistered >= cooldown)
                && await store.ActiveAsync(attempt.TenantId, attempt.Model, cancellationToken) is null)
            {
                LogReleased(logger, attempt.Id, attempt.TenantId, attempt.Model);
                await store.MarkAsync(attempt.Id, AttemptStatus.Pending, null, cancellationToken);
            }
        }
    }

    public async Task RunAsync(RetrainAttempt attempt, CancellationToken stoppingToken)
    {
        var ttl = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var (taken, holder) = await lease.TryTakeAsync(attempt.TenantId, attempt.Model, attempt.Id, ttl);
        if (!taken)
        {
            LogLeaseHeld(logger, attempt.Id, holder ?? "?");
            await FinishAsync(attempt, new AttemptResult(AttemptStatus.Skipped,
                $"another retrain of this model holds the lease (attempt {holder}); one at a time"), CancellationToken.None);
            return;
        }

        AttemptResult result;
        var started = time.GetTimestamp();
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lost = false;
        var renewal = RenewAsync(attempt, ttl, () => lost = true, running);
        try
        {
            await store.MarkAsync(attempt.Id, AttemptStatus.Running, time.GetUtcNow(), stoppingToken);
            LogStarted(logger, attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger);
            result = await pipeline.RunAsync(attempt, running.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the attempt goes back to pending and runs after the restart.
            await running.CancelAsync();
            await renewal;
            await store.MarkAsync(attempt.Id, AttemptStatus.Pending, null, CancellationToken.None);
            await lease.ReleaseAsync(attempt.TenantId, attempt.Model, attempt.Id);
            return;
        }
        catch (Exception ex)
        {
            LogCrashed(logger, ex, attempt.Id, ex.Message);
            result = new AttemptResult(AttemptStatus.Failed, lost
                ? "the lease was lost while training (Redis unreachable or the lease expired); stopped"
                : $"unexpected error: {ex.GetType().Name}: {ex.Message}");
        }

        await running.CancelAsync();
        await renewal;
        await lease.ReleaseAsync(attempt.TenantId, attempt.Model, attempt.Id);
        metrics.Ran(result.Status, time.GetElapsedTime(started));
        await FinishAsync(attempt, result, CancellationToken.None);
    }

    private async Task RenewAsync(RetrainAttempt attempt, TimeSpan ttl, Action onLost, CancellationTokenSource running)
    {
        try
        {
            while (!running.IsCancellationRequested)
            {
                await Task.Delay(ttl / 3, time, running.Token);
                bool renewed;
                try
                {
                    renewed = await lease.RenewAsync(attempt.TenantId, attempt.Model, attempt.Id, ttl);
                }
                catch (StackExchange.Redis.RedisException)
                {
                    // One missed renewal is not a lost lease: it lasts ttl, and this tries again in ttl/3.
                    continue;
                }

                if (!renewed)
                {
                    LogLeaseLost(logger, attempt.Id);
                    onLost();
                    await running.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The attempt ended.
        }
    }

    private async Task FinishAsync(RetrainAttempt attempt, AttemptResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var finished = attempt with
        {
            Status = result.Status, Reason = result.Reason, FinishedAt = now, StableVersion = result.StableVersion,
            CandidateVersion = result.CandidateVersion, CandidateMetrics = result.CandidateMetrics, StableMetrics = result.StableMetrics,
            SnapshotHash = result.SnapshotHash, Trainer = result.Trainer,
        };
        await store.FinishAsync(finished, cancellationToken);
        metrics.Ended(attempt.Trigger, result.Status);
        LogFinished(logger, attempt.Id, attempt.TenantId, attempt.Model, result.Status, result.Reason);
        await bus.Publish(new RetrainAttempted(
            attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, result.Status, result.Reason, now,
            result.StableVersion, result.CandidateVersion, result.CandidateMetrics, result.StableMetrics, result.SnapshotHash), cancellationToken);
    }

    [LoggerMessage(EventId = RetrainerLogEvents.AttemptReleased, Level = LogLevel.Information, Message = "Retrain {AttemptId} of {TenantId}/{Model}: the cooldown has ended, the deferred trigger is acted on")]
    private static partial void LogReleased(ILogger logger, string attemptId, string tenantId, string model);

    [LoggerMessage(EventId = RetrainerLogEvents.AttemptStarted, Level = LogLevel.Information, Message = "Retrain {AttemptId} of {TenantId}/{Model} started ({Trigger})")]
    private static partial void LogStarted(ILogger logger, string attemptId, string tenantId, string model, string trigger);

    [LoggerMessage(EventId = RetrainerLogEvents.AttemptFinished, Level = LogLevel.Information, Message = "Retrain {AttemptId} of {TenantId}/{Model}: {Status}, {Reason}")]
    private static partial void LogFinished(ILogger logger, string attemptId, string tenantId, string model, string status, string reason);

    [LoggerMessage(EventId = RetrainerLogEvents.AttemptCrashed, Level = LogLevel.Error, Message = "Retrain {AttemptId} failed unexpectedly: {Reason}")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string attemptId, string reason);

    [LoggerMessage(EventId = RetrainerLogEvents.AttemptRequeued, Level = LogLevel.Warning,
        Message = "Retrain {AttemptId} of {TenantId}/{Model} was left running by an earlier process and its lease expired; running it again")]
    private static partial void LogRequeued(ILogger logger, string attemptId, string tenantId, string model);

    [LoggerMessage(EventId = RetrainerLogEvents.LeaseHeldElsewhere, Level = LogLevel.Information, Message = "Retrain {AttemptId} skipped: attempt {Holder} holds the model's lease")]
    private static partial void LogLeaseHeld(ILogger logger, string attemptId, string holder);

    [LoggerMessage(EventId = RetrainerLogEvents.LeaseLost, Level = LogLevel.Warning, Message = "Retrain {AttemptId} lost its lease; stopping it")]
    private static partial void LogLeaseLost(ILogger logger, string attemptId);
}
