using System.CommandLine;
using System.Reflection;

namespace Orbit.Cli;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the CLI's version and runtime");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString() ?? "unknown";
            Console.WriteLine($"orbit {version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
