using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Models;

/// <summary>Every so often: unloads sessions idle longer than <c>IdleUnloadSeconds</c>.</summary>
internal sealed class IdleUnloader(ModelStore models, IOptions<WorkerOptions> options, TimeProvider time) : BackgroundService
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
                models.UnloadIdle(idle);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
