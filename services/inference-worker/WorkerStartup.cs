using Microsoft.Extensions.Options;
using Orbit.InferenceWorker.Models;
using Orbit.Onnx;

namespace Orbit.InferenceWorker;

/// <summary>
/// Before the worker serves: route ONNX Runtime's log to ours, drop downloads a crash left
/// half-written, and say once if there is no registry key to download with.
/// </summary>
internal sealed partial class WorkerStartup(
    ModelCache cache,
    IOptions<WorkerOptions> options,
    ILoggerFactory loggers,
    ILogger<WorkerStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        OnnxRuntime.Configure(new OnnxRuntimeOptions
        {
            Logger = loggers.CreateLogger("OnnxRuntime"),
        });
        var swept = cache.SweepTemp();
        if (swept > 0)
        {
            LogSwept(logger, swept);
        }

        var settings = options.Value;
        if (!settings.CanDownload)
        {
            LogNoKey(logger, settings.RegistryUrl);
        }

        LogStarting(logger, settings.Device, settings.RegistryUrl, cache.Root, settings.Models.Count == 0 ? "every deployed model" : string.Join(", ", settings.Models));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = WorkerLogEvents.Swept, Level = LogLevel.Information, Message = "Removed {Count} unfinished model downloads left by an earlier run")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = WorkerLogEvents.NoKey, Level = LogLevel.Warning,
        Message = "Orbit:Worker:RegistryKey is not set: this worker cannot download models from {RegistryUrl} and reports not ready")]
    private static partial void LogNoKey(ILogger logger, string registryUrl);

    [LoggerMessage(EventId = WorkerLogEvents.Starting, Level = LogLevel.Information,
        Message = "Inference worker on {Device}, registry {RegistryUrl}, model cache {CacheRoot}, serving {Models}")]
    private static partial void LogStarting(ILogger logger, string device, string registryUrl, string cacheRoot, string models);
}
