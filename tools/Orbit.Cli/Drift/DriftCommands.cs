using System.CommandLine;

namespace Orbit.Cli.Drift;

/// <summary><c>orbit drift …</c>: compare two data sets offline, or read the drift monitor's view of a model.</summary>
internal static class DriftCommands
{
    public static Command Create()
    {
        var drift = new Command("drift", "Drift between a baseline and live data: compare CSV files, show a model's drift state and history");
        drift.Subcommands.Add(DriftCompareCommand.Create());
        return drift;
    }
}
