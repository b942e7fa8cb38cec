using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Faults;

/// <summary>
/// Faults under load on a real platform (<c>./orbit up --workers 2</c>): each test injects one fault
/// while eight clients keep sending, then reports the figures (accepted, answered correctly, refused
/// cleanly with 503/504, lost or hung, seconds to recover). Restarting RabbitMQ or Redis disturbs
/// every user of this machine's servers, so these run only in <c>./orbit test --long</c>, after the
/// rest of the suite, one at a time.
/// </summary>
[Trait("Category", "Long")]
public sealed class FaultsUnderLoadTests : IClassFixture<InferencePlatform>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;

    public FaultsUnderLoadTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
    }

    [Fact]
    public Task Killing_a_worker_loses_nothing() => RunAsync("kill -9 one of two workers", async () =>
    {
        System.Diagnostics.Process.GetProcessById(_platform.Platform.Pids()["inference-worker-1"]).Kill();
        await Task.CompletedTask;
    }, after: () => _platform.Platform.OrbitOkAsync("scale workers 2"));

    [Fact]
    public Task Restarting_RabbitMQ_loses_nothing() => RunAsync("restart RabbitMQ", async () =>
    {
        await ShellOkAsync("rabbitmqctl", "stop_app");
        await ShellOkAsync("rabbitmqctl", "start_app");
    });

    [Fact]
    public Task Restarting_Redis_loses_nothing() => RunAsync("restart Redis", async () =>
    {
        await Shell.RunAsync("redis-cli", "-h 127.0.0.1 -p 6379 shutdown nosave", "/", null, TimeSpan.FromSeconds(30));
        await _platform.Platform.OrbitOkAsync("deps");
    });

    [Fact]
    public Task Restarting_the_registry_loses_nothing() => RunAsync("kill -9 and restart the registry", async () =>
    {
        System.Diagnostics.Process.GetProcessById(_platform.Platform.Pids()["registry"]).Kill();
        await _platform.Platform.OrbitOkAsync("up --workers 2");
    });

    private async Task RunAsync(string fault, Func<Task> inject, Func<Task>? after = null)
    {
        var model = await _platform.DeployAsync([31], "--stable 1");
        using var client = new OipClient(_platform.Platform.Gateway, _platform.Platform.AdminKey);
        var load = new FaultLoad(client, model, Path.Combine(_platform.Models, "mlp-31.onnx"));

        var figures = await load.RunAsync(fault, inject, before: TimeSpan.FromSeconds(3), Limit);
        if (after is not null)
        {
            await after();
        }

        _output.WriteLine("| fault | accepted | answered correctly | clean 503/504 | lost or hung | seconds to recover |");
        _output.WriteLine(figures.ToString());
        Console.WriteLine("faults: " + figures);
        Assert.Equal(0, figures.Lost);
        Assert.NotNull(figures.RecoverySeconds);
    }

    private static async Task ShellOkAsync(string command, string arguments)
    {
        var result = await Shell.RunAsync(command, arguments, "/", null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"{command} {arguments} failed ({result.ExitCode}): {result.Output}");
    }
}
