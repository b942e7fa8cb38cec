using System.CommandLine;
using Orbit.Cli.Registry;
using Spectre.Console;

// The CLI writes through AnsiConsole.Console, which is global: tests that swap it must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Orbit.Cli.Tests.Registry;

/// <summary>What one run of a registry command printed, and its exit code.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs registry commands as <c>./orbit</c> does, with their stdout and stderr captured.</summary>
internal static class CliOutput
{
    public static async Task<CliRun> RunAsync(Func<RegistryConnection, HttpClient>? clientFactory, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 250;
        AnsiConsole.Console = console;

        var root = new RootCommand();
        foreach (var command in RegistryCommands.Create(clientFactory, errors))
        {
            root.Subcommands.Add(command);
        }

        var exitCode = await root.Parse(args).InvokeAsync();
        return new CliRun(exitCode, output.ToString(), errors.ToString());
    }
}
