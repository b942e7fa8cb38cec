extern alias orbitcli;

using System.CommandLine;
using Orbit.Retrainer.Tests.Support;
using Spectre.Console;
using RegistryCommands = orbitcli::Orbit.Cli.Registry.RegistryCommands;

namespace Orbit.Retrainer.Tests.Attempts;

/// <summary><c>./orbit retrain MODEL</c> and <c>./orbit retrain history MODEL</c> against the retrainer of the fixture.</summary>
public sealed class RetrainCliTests(RetrainPlatform platform) : IClassFixture<RetrainPlatform>
{
    [Fact]
    public async Task Retrain_waits_for_the_attempt_and_history_shows_it_with_its_reason()
    {
        await platform.PushStableAsync("cli-model");

        var retrain = await RunAsync("retrain", "cli-model", "--reason", "from the CLI", "--wait");

        Assert.True(retrain.ExitCode == 1, retrain.ToString());
        Assert.Contains("of cli-model: failed", retrain.Out);
        Assert.Contains("no labelled data", retrain.Out);

        var history = await RunAsync("retrain", "history", "cli-model");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("request", history.Out);
        Assert.Contains("failed", history.Out);
        Assert.Contains("no labelled data", history.Out);

        var json = await RunAsync("retrain", "history", "cli-model", "--json");
        Assert.Contains("\"items\":[{", json.Out);
    }

    [Fact]
    public async Task History_of_a_model_the_tenant_does_not_have_exits_1_with_the_problem()
    {
        var history = await RunAsync("retrain", "history", "nobody-has-this");

        Assert.Equal(1, history.ExitCode);
        Assert.Contains("404", history.Error);
    }

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 400;
        AnsiConsole.Console = console;
        var root = new RootCommand();
        foreach (var command in RegistryCommands.Create(_ => platform.RetrainerClient(), errors))
        {
            root.Subcommands.Add(command);
        }

        var code = await root.Parse([.. args, "--key", platform.DeployerKey, "--retrainer", "http://localhost/"]).InvokeAsync();
        return (code, output.ToString(), errors.ToString());
    }
}
