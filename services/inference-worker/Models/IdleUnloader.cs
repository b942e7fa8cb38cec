using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Models;

/// <summary>Every so often: unloads sessions idle longer than <c>IdleUnloadSeconds</c>.</summary>
internal sealed partial class IdleUnloader(ModelStore models, IOptions<WorkerOptions> options, TimeProvider time, ILogger<IdleUnloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromSeconds(options.Value.IdleUnloadSeconds);
        var period = TimeSpan.FromSeconds(Math.Clamp(idle.TotalSeconds / 4, 1, 60));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(period, time, stoppingToken);
                try
                {
                    models.UnloadIdle(idle);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogUnloadFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.UnloadFailed, Level = LogLevel.Error, Message = "Unloading idle models failed; the next pass retries")]
    private static partial void LogUnloadFailed(ILogger logger, Exception exception);
}
