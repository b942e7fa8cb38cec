using Microsoft.Extensions.Options;

namespace Orbit.Retrainer.Triggers;

/// <summary>
/// Fires a <c>schedule</c> trigger for each model with <c>ScheduleMinutes</c>, one interval after the retrainer
/// starts and every interval after that (the trigger then meets the same debounce, cooldown and lease as any other).
/// </summary>
internal sealed partial class RetrainScheduler(
    ITriggerIntake intake, IOptions<RetrainerOptions> options, TimeProvider time, ILogger<RetrainScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduled = options.Value.Models.Where(m => m.ScheduleMinutes is not null).ToList();
        if (scheduled.Count == 0)
        {
            return;
        }

        var start = time.GetUtcNow();
        var due = scheduled.ToDictionary(m => m, m => start + TimeSpan.FromMinutes(m.ScheduleMinutes!.Value));
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = due.Values.Min();
            var wait = next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            var now = time.GetUtcNow();
            foreach (var model in due.Where(d => d.Value <= now).Select(d => d.Key).ToList())
            {
                due[model] = now + TimeSpan.FromMinutes(model.ScheduleMinutes!.Value);
                LogFired(logger, model.Tenant, model.Model);
                try
                {
                    await intake.RecordAsync(new TriggerRequest(model.Tenant, model.Model, TriggerKind.Schedule,
                        $"every {model.ScheduleMinutes} min"), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store or the bus is down: the next interval tries again.
                    LogFired(logger, model.Tenant, model.Model + " (not recorded: " + ex.Message + ")");
                }
            }
        }
    }

    [LoggerMessage(EventId = RetrainerLogEvents.ScheduleFired, Level = LogLevel.Information, Message = "Scheduled retrain of {TenantId}/{Model}")]
    private static partial void LogFired(ILogger logger, string tenantId, string model);
}
