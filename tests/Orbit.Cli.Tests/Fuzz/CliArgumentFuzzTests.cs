using CsCheck;
using Orbit.Cli.Tests.Registry;

namespace Orbit.Cli.Tests.Fuzz;

/// <summary>
/// Generated command lines for the registry commands, against a real registry: verbs, options and
/// values drawn from valid and hostile ones (paths, huge numbers, flags without values, unknown
/// options). Whatever the line, the CLI answers with an exit code and a message: no exception escapes
/// and no stack trace is printed.
/// </summary>
public sealed class CliArgumentFuzzTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    public const int Iterations = 200;

    private static readonly string[] Verbs =
    [
        "models", "list", "show", "push", "retire", "deploy", "promote", "rollback", "undeploy", "audit", "keys", "tenants", "whoami",
        "create", "revoke", "versions", "nope",
    ];

    private static readonly string[] Options =
    [
        "--json", "--stable", "--candidate", "--weight", "--metadata", "--description", "--tag", "--role", "--tenant", "--model",
        "--action", "--after", "--limit", "--since", "--version", "--", "-h", "--bogus",
    ];

    private static readonly string[] Values =
    [
        "1", "0", "-1", "101", "99999999999999999999", "abc", "", " ", "../../etc/passwd", "/dev/null", "{}", "{\"metrics\":",
        "admin", "viewer", "m-" + new string('x', 300), "é", "1.5", "2026-13-45", RegistryUnderTest.AddModel,
    ];

    [Fact]
    public async Task Generated_command_lines_end_in_an_exit_code_and_a_message_never_a_crash()
    {
        var tokens = Gen.OneOf(
            Gen.Int[0, Verbs.Length - 1].Select(i => Verbs[i]),
            Gen.Int[0, Options.Length - 1].Select(i => Options[i]),
            Gen.Int[0, Values.Length - 1].Select(i => Values[i]));
        var lines = Gen.Select(Gen.Int[0, Verbs.Length - 1], tokens.Array[0, 7], (verb, rest) => (string[])[Verbs[verb], .. rest]);
        var codes = new Dictionary<int, int>();

        // One at a time: the CLI writes to the one console AnsiConsole holds.
        await lines.SampleAsync(async args =>
        {
            // System.CommandLine reports parse errors, and any exception that escapes a command, on Console.Error.
            var console = new StringWriter();
            var original = Console.Error;
            Console.SetError(console);
            CliRun run;
            try
            {
                run = await registry.RunAsync(args);
            }
            finally
            {
                Console.SetError(original);
            }

            codes[run.ExitCode] = codes.GetValueOrDefault(run.ExitCode) + 1;
            var line = string.Join(' ', args);
            var errors = run.Error + console;
            Assert.True(run.ExitCode is >= 0 and <= 2, $"exit {run.ExitCode} for: {line}\n{errors}");
            Assert.False(errors.Contains("   at ", StringComparison.Ordinal), $"a stack trace for: {line}\n{errors}");
            Assert.False(run.ExitCode != 0 && errors.Trim().Length == 0 && run.Out.Trim().Length == 0, $"exit {run.ExitCode} with no message for: {line}");
        }, iter: Iterations, threads: 1);

        Console.WriteLine($"fuzz: CLI command lines: {Iterations}; exit codes " + string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}")));
    }
}
