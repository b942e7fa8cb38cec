using Orbit.Onnx;

namespace Orbit.Retrainer.Storage;

/// <summary>Before the retrainer takes work: ONNX Runtime's log into ours, and the store migrated.</summary>
internal sealed class RetrainerStartup(SqlMigrationRunner migrations, ILoggerFactory loggers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        OnnxRuntime.Configure(new OnnxRuntimeOptions { Logger = loggers.CreateLogger("OnnxRuntime") });
        await migrations.ApplyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
