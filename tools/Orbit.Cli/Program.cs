using System.CommandLine;
using Orbit.Cli;
using Orbit.Cli.Health;

if (Console.IsOutputRedirected)
{
    // Spectre assumes 80 columns without a terminal; logs and pipes read better unwrapped.
    Spectre.Console.AnsiConsole.Profile.Width = 200;
    Spectre.Console.AnsiConsole.Profile.Capabilities.Ansi = false;
}

var root = new RootCommand("orbit: the operators' command-line client for the Orbit platform");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(Orbit.Cli.Onnx.OnnxCommands.Create());
root.Subcommands.Add(Orbit.Cli.Drift.DriftCommands.Create());
root.Subcommands.Add(Orbit.Cli.Demo.DemoCommand.Create());
foreach (var command in Orbit.Cli.Registry.RegistryCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(Orbit.Cli.Completion.CompletionCommand.Create(root));
return await root.Parse(args).InvokeAsync();
