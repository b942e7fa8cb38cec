using Orbit.Hosting;
using Orbit.Onnx;
using Orbit.Registry.Artifacts;
using Orbit.Registry.Auth;

namespace Orbit.Registry.Storage;

/// <summary>
/// Before the registry takes requests: route ONNX Runtime's log to ours, migrate the store, drop
/// uploads a crash left half-written, and create the admin tenant on the first start.
/// </summary>
internal sealed partial class RegistryStartup(
    SqlMigrationRunner migrations,
    ArtifactStore artifacts,
    AdminBootstrap bootstrap,
    ILoggerFactory loggers,
    ILogger<RegistryStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        OnnxRuntime.Configure(new OnnxRuntimeOptions
        {
            Logger = loggers.CreateLogger("OnnxRuntime"),
        });
        await migrations.ApplyAsync(cancellationToken);
        var swept = artifacts.SweepTemp();
        if (swept > 0)
        {
            LogSwept(logger, swept);
        }

        await bootstrap.RunAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = RegistryLogEvents.Swept, Level = LogLevel.Information, Message = "Removed {Count} unfinished uploads left by an earlier run")]
    private static partial void LogSwept(ILogger logger, int count);
}
