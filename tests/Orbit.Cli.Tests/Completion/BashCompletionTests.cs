using System.CommandLine;
using System.Diagnostics;
using Orbit.Cli.Completion;

namespace Orbit.Cli.Tests.Completion;

/// <summary>The generated script, sourced by a real bash, completes what a user would type.</summary>
public sealed class BashCompletionTests
{
    [Theory]
    [InlineData("orbit mo", "models")]
    [InlineData("orbit models ", "push list show retire --help -h")]
    [InlineData("orbit rollout ", "start status show pause resume abort --help -h")]
    [InlineData("orbit models list --output ", "json table")]
    [InlineData("orbit batch list -o j", "json")]
    [InlineData("orbit drift compare a.csv b.csv --o", "--output")]
    [InlineData("orbit models show churn --", "--help --tenant --url --key --output --json")]
    [InlineData("orbit sc", "scale")]
    public async Task Bash_completes_commands_subcommands_options_and_their_fixed_values(string line, string expected)
    {
        var script = Path.Combine(Path.GetTempPath(), $"orbit-completion-{Guid.NewGuid():N}.bash");
        var writer = new StringWriter();
        var root = new RootCommand();
        foreach (var command in Orbit.Cli.Registry.RegistryCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(Orbit.Cli.Drift.DriftCommands.Create());
        root.Subcommands.Add(CompletionCommand.Create(root, writer));
        Assert.Equal(0, await root.Parse(["completion", "bash"]).InvokeAsync());
        await File.WriteAllTextAsync(script, writer.ToString());
        try
        {
            Assert.Equal(expected.Split(' ').Order(StringComparer.Ordinal), (await CompleteAsync(script, line)).Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void The_root_scripts_own_commands_are_offered_after_orbit()
    {
        var script = BashCompletion.Generate(new RootCommand(), BashCompletion.ScriptCommands);
        Assert.Contains("'') words='deps up down status scale build test", script);
    }

    private static async Task<string[]> CompleteAsync(string script, string line)
    {
        // What bash does on a tab: COMP_WORDS split at blanks (a trailing blank starts an empty word), then the function.
        var words = line.Split(' ');
        var array = string.Join(' ', words.Select(w => $"'{w}'"));
        var start = new ProcessStartInfo("bash", ["-c", $"source '{script}'; COMP_WORDS=({array}); COMP_CWORD={words.Length - 1}; _orbit_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, errors);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
