using System.CommandLine;

namespace Orbit.Cli;

/// <summary>
/// <c>--output json|table</c> (<c>-o</c>), the same spelling on every command that prints data; <c>--json</c> stays as
/// its short form. Asking for both a table and JSON is bad usage.
/// </summary>
internal sealed class OutputFormat(Option<string> output, Option<bool> json)
{
    public const string Json = "json";
    public const string Table = "table";

    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--output", "-o") { Description = description, HelpName = "json|table", DefaultValueFactory = _ => Table };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }

    public bool IsJson(ParseResult parse) => parse.GetValue(json) || parse.GetValue(output) == Json;

    /// <summary>The usage error of <c>--json --output table</c>, or null.</summary>
    public string? Conflict(ParseResult parse) =>
        parse.GetValue(json) && parse.GetResult(output) is { Implicit: false } && parse.GetValue(output) == Table
            ? "--json and --output table ask for different outputs; pass one of them"
            : null;
}
