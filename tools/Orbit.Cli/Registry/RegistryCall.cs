using System.CommandLine;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary>One invocation of a registry command: the API, the parsed arguments, and how to answer.</summary>
internal sealed class RegistryCall(RegistryApi api, ParseResult parse, bool json, TextWriter errors)
{
    public RegistryApi Api => api;

    public bool Json => json;

    public ParseResult Parse => parse;

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => parse.GetValue(argument);

    /// <summary>The problem on stderr (exit 1), the JSON as received with <c>--output json</c> (or <c>--json</c>), or else <paramref name="render"/> (exit 0).</summary>
    public async Task<int> AnswerAsync<T>(ApiResult<T> result, Action<T> render)
    {
        if (await FailedAsync(result))
        {
            return RegistryRunner.Failed;
        }

        if (json)
        {
            WriteJson(result.Json);
        }
        else
        {
            render(result.Value!);
        }

        return RegistryRunner.Ok;
    }

    /// <summary>Prints the problem of a failed result; true when it failed.</summary>
    public async Task<bool> FailedAsync<T>(ApiResult<T> result)
    {
        if (result.Problem is not { } problem)
        {
            return false;
        }

        await errors.WriteLineAsync(ProblemPrinter.Format(problem));
        await errors.WriteLineAsync(NextStep.Line(NextStep.ForStatus(problem.Status, NextStep.CommandPath(parse), NextStep.ModelOf(parse))));
        return true;
    }

    // Straight to the writer: Spectre would wrap a long JSON line at the console's width.
    public static void WriteJson(string text) => AnsiConsole.Profile.Out.Writer.WriteLine(text);
}
