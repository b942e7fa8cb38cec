using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json;

namespace Orbit.Cli.Registry;

/// <summary>
/// What every registry command shares: <c>--url</c>, <c>--key</c> and <c>--output json|table</c> (<c>--json</c> kept as its short form), local checks
/// (exit 2), connection resolution (exit 2 when there is no key), and turning problems and an
/// unreachable registry into one line on stderr (exit 1).
/// </summary>
internal sealed class RegistryRunner(Func<RegistryConnection, HttpClient> clientFactory, TextWriter errors)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary>Adds the shared options to <paramref name="command"/> and runs <paramref name="body"/> when it is invoked.</summary>
    /// <param name="validate">Local checks before anything is sent: a message makes the command exit 2.</param>
    public Command Define(Command command, Func<RegistryCall, CancellationToken, Task<int>> body, Func<ParseResult, string?>? validate = null)
    {
        var url = new Option<string?>("--url") { Description = "Orbit URL (the gateway, or the registry itself) [ORBIT_URL, config file, else http://127.0.0.1:<ORBIT_BASE_PORT>]" };
        var key = new Option<string?>("--key") { Description = "API key [ORBIT_KEY, config file, else $ORBIT_RUN_DIR/admin.key]" };
        var json = new Option<bool>("--json") { Description = "Same as --output json" };
        var output = OutputFormat.Create("Print a table (table, the default) or the registry's JSON as received (json)");
        command.Options.Add(url);
        command.Options.Add(key);
        command.Options.Add(output);
        command.Options.Add(json);
        command.Action = new RegistryAction(this, url, key, new OutputFormat(output, json), body, validate);
        return command;
    }

    private async Task<int> RunAsync(
        ParseResult parse,
        Option<string?> urlOption,
        Option<string?> keyOption,
        OutputFormat format,
        Func<RegistryCall, CancellationToken, Task<int>> body,
        Func<ParseResult, string?>? validate,
        CancellationToken cancellationToken)
    {
        var path = NextStep.CommandPath(parse);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors.Select(e => e.Message).Distinct())
            {
                await errors.WriteLineAsync(ProblemPrinter.Usage(path, error));
            }

            await errors.WriteLineAsync($"See: orbit {path} --help");
            return UsageError;
        }

        if ((validate?.Invoke(parse) ?? format.Conflict(parse)) is { } usage)
        {
            await errors.WriteLineAsync(ProblemPrinter.Usage(path, usage));
            await errors.WriteLineAsync($"See: orbit {path} --help");
            return UsageError;
        }

        var resolution = RegistryConnection.Resolve(parse.GetValue(urlOption), parse.GetValue(keyOption));
        if (resolution.Connection is not { } connection)
        {
            await errors.WriteLineAsync("orbit: " + resolution.Error);
            return UsageError;
        }

        if (connection.Key is null)
        {
            await errors.WriteLineAsync("orbit: " + RegistryConnection.HowToProvideKey(resolution.ConfigPath));
            return UsageError;
        }

        using var http = clientFactory(connection);
        var call = new RegistryCall(new RegistryApi(http, connection), parse, format.IsJson(parse), errors);
        try
        {
            return await body(call, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            await errors.WriteLineAsync(ProblemPrinter.Unreachable(connection.Url, ex));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync(ProblemPrinter.TimedOut(connection.Url));
        }
        catch (JsonException ex)
        {
            await errors.WriteLineAsync($"orbit: the registry at {connection.Url} answered with JSON this CLI does not understand: {ex.Message}");
            await errors.WriteLineAsync(NextStep.Line("orbit version and orbit health (is the CLI as new as the platform?)"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"orbit {path}: {ex.Message}");
        }

        return Failed;
    }

    /// <summary>
    /// Runs even when parsing failed, so that bad usage of a registry command (a missing argument,
    /// a weight that is not a number) exits 2 with the reason, as local checks do.
    /// </summary>
    private sealed class RegistryAction(
        RegistryRunner runner,
        Option<string?> url,
        Option<string?> key,
        OutputFormat format,
        Func<RegistryCall, CancellationToken, Task<int>> body,
        Func<ParseResult, string?>? validate) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default) =>
            runner.RunAsync(parseResult, url, key, format, body, validate, cancellationToken);
    }
}
