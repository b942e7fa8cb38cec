using System.CommandLine;
using Orbit.Cli.Registry;

namespace Orbit.Cli.Drift;

/// <summary><c>orbit drift …</c>: compare two data sets offline, or read the drift monitor's view of a model.</summary>
internal static class DriftCommands
{
    public static Command Create(Func<RegistryConnection, HttpClient>? clientFactory = null, TextWriter? errors = null)
    {
        var runner = new RegistryRunner(clientFactory ?? (_ => new HttpClient { Timeout = TimeSpan.FromSeconds(30) }), errors ?? Console.Error);
        var drift = new Command("drift", "Drift between a baseline and live data: compare CSV files, show a model's drift state and history");
        drift.Subcommands.Add(DriftCompareCommand.Create());
        drift.Subcommands.Add(DriftShowCommands.Show(runner));
        drift.Subcommands.Add(DriftShowCommands.History(runner));
        return drift;
    }
}
