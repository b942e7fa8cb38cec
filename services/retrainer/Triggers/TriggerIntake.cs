using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Retraining;
using Orbit.Retrainer.Storage;

namespace Orbit.Retrainer.Triggers;

/// <summary>A trigger as the intake sees it, from any source.</summary>
internal sealed record TriggerRequest(
    string TenantId, string Model, string Kind, string Detail, string? RequestedBy = null, bool ShuffleLabels = false, bool ForcePastGate = false);

/// <summary>Where triggers go: the scheduler, the consumers and the API hand theirs to the intake.</summary>
internal interface ITriggerIntake
{
    Task<RetrainAttempt> RecordAsync(TriggerRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Records every trigger, acted on or not: it decides with <see cref="TriggerPolicy"/> against the store, writes the
/// attempt (pending, or skipped with the reason, published as <see cref="RetrainAttempted"/>), and wakes the runner.
/// Accepted attempts live in the store, so one accepted before a crash is run after the restart.
/// </summary>
internal sealed partial class TriggerIntake(
    RetrainStore store,
    AttemptSignal signal,
    IBus bus,
    Metrics.RetrainMetrics metrics,
    IOptions<RetrainerOptions> options,
    TimeProvider time,
    ILogger<TriggerIntake> logger) : ITriggerIntake
{
    // One decision at a time in this process, so two triggers that arrive together cannot both be accepted.
    private readonly SemaphoreSlim _decide = new(1, 1);

    public async Task<RetrainAttempt> RecordAsync(TriggerRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var model = settings.For(request.TenantId, request.Model);
        var overrides = request.ShuffleLabels || request.ForcePastGate;
        RetrainAttempt attempt;
        await _decide.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var active = await store.ActiveAsync(request.TenantId, request.Model, cancellationToken);
            var (lastAccepted, lastRegistered) = await store.HistoryAsync(request.TenantId, request.Model, cancellationToken);
            var verdict = TriggerPolicy.Decide(
                request.Kind, now, active?.Id, lastAccepted, lastRegistered,
                TimeSpan.FromSeconds(model.DebounceSeconds ?? settings.DebounceSeconds),
                settings.CooldownFor(model));
            if (verdict.Defer && (await store.WithStatusAsync(AttemptStatus.Deferred, cancellationToken))
                    .FirstOrDefault(a => a.TenantId == request.TenantId && a.Model == request.Model) is { } waiting)
            {
                verdict = TriggerVerdict.Skipped($"attempt {waiting.Id} of this model already waits for the cooldown to end");
            }

            var honoured = overrides && settings.AllowRequestOverrides;
            var detail = overrides && !settings.AllowRequestOverrides
                ? request.Detail + " (shuffleLabels/forcePastGate ignored: Orbit:Retrainer:AllowRequestOverrides is off)"
                : request.Detail;
            attempt = new RetrainAttempt
            {
                Id = NewId(now),
                TenantId = request.TenantId,
                Model = request.Model,
                Trigger = request.Kind,
                Detail = detail,
                RequestedBy = request.RequestedBy,
                ShuffleLabels = honoured && request.ShuffleLabels,
                ForceGate = honoured && request.ForcePastGate,
                Status = verdict.Accept ? AttemptStatus.Pending : verdict.Defer ? AttemptStatus.Deferred : AttemptStatus.Skipped,
                Reason = verdict.Reason,
                CreatedAt = now,
                FinishedAt = verdict.Accept || verdict.Defer ? null : now,
            };
            await store.InsertAsync(attempt, cancellationToken);
        }
        finally
        {
            _decide.Release();
        }

        LogRecorded(logger, attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, attempt.Status, attempt.Reason ?? "");
        if (attempt.Status == AttemptStatus.Pending)
        {
            signal.Notify();
        }
        else
        {
            if (attempt.Status == AttemptStatus.Skipped)
            {
                metrics.Ended(attempt.Trigger, attempt.Status);
            }

            await bus.Publish(new RetrainAttempted(
                attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, attempt.Status, attempt.Reason ?? "", attempt.CreatedAt), cancellationToken);
        }

        return attempt;
    }

    /// <summary>Records a trigger that is skipped whatever the policy says (a drift level below critical).</summary>
    public async Task RecordSkippedAsync(TriggerRequest request, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempt = new RetrainAttempt
        {
            Id = NewId(now), TenantId = request.TenantId, Model = request.Model, Trigger = request.Kind, Detail = request.Detail,
            RequestedBy = request.RequestedBy, Status = AttemptStatus.Skipped, Reason = reason, CreatedAt = now, FinishedAt = now,
        };
        await store.InsertAsync(attempt, cancellationToken);
        metrics.Ended(attempt.Trigger, attempt.Status);
        LogRecorded(logger, attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, attempt.Status, reason);
        await bus.Publish(new RetrainAttempted(attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, attempt.Status, reason, now), cancellationToken);
    }

    /// <summary>Sortable by time, unique: <c>20261130T071500Z-1a2b3c4d</c>.</summary>
    private static string NewId(DateTimeOffset now) => $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    [LoggerMessage(EventId = RetrainerLogEvents.TriggerRecorded, Level = LogLevel.Information,
        Message = "Retrain trigger {AttemptId} for {TenantId}/{Model} ({Trigger}): {Status}, {Reason}")]
    private static partial void LogRecorded(ILogger logger, string attemptId, string tenantId, string model, string trigger, string status, string reason);
}
