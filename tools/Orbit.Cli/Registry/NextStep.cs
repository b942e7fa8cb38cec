using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orbit.Cli.Registry;

/// <summary>
/// The command to run after a failure, printed under the error as <c>next: …</c>: what to look at, by the answer's
/// status and the command that failed (its group: models, keys, tenants, batch, rollout…).
/// </summary>
internal static class NextStep
{
    public static string Line(string next) => "next: " + next;

    /// <summary>After an answer with <paramref name="status"/> to <c>orbit <paramref name="commandPath"/></c>.</summary>
    public static string ForStatus(int status, string commandPath, string? model)
    {
        var group = commandPath.Split(' ', 2)[0];
        var m = model ?? "MODEL";
        return status switch
        {
            400 or 422 or 413 or 415 => $"orbit {commandPath} --help (what each argument and option accepts)",
            401 => "pass a valid key (--key, ORBIT_KEY or the config file; ./orbit up writes the admin key to $ORBIT_RUN_DIR/admin.key), then orbit whoami",
            403 => "orbit whoami (shows this key's role; an admin issues a stronger key with orbit keys create --role deployer)",
            404 => group switch
            {
                "keys" => "orbit keys list",
                "tenants" => "orbit tenants list",
                "batch" => "orbit batch list",
                "rollout" when model is not null => $"orbit models show {m} (versions and deployment), then orbit rollout start {m} --candidate VERSION",
                "retrain" or "drift" when model is not null => $"orbit models show {m}",
                _ => "orbit models list (the models this key's tenant has)",
            },
            409 => group switch
            {
                "rollout" => $"orbit rollout status {m}",
                "batch" => "orbit batch list",
                "keys" => "orbit keys list",
                "tenants" => "orbit tenants list",
                _ => $"orbit models show {m} (its versions and current deployment)",
            },
            429 => $"wait and run orbit {commandPath} again (the platform is shedding load)",
            >= 500 => "orbit health (which service or dependency fails)",
            _ => $"orbit {commandPath} --help",
        };
    }

    /// <summary>The model a command names: its <c>name</c>/<c>model</c> argument or its <c>--model</c> option.</summary>
    public static string? ModelOf(ParseResult parse)
    {
        foreach (var child in parse.CommandResult.Children)
        {
            switch (child)
            {
                case ArgumentResult { Argument.Name: "name" or "model" } argument when argument.Tokens.Count == 1:
                    return argument.Tokens[0].Value;
                case OptionResult { Option.Name: "--model" } option when option.Tokens.Count == 1:
                    return option.Tokens[0].Value;
            }
        }

        return null;
    }

    /// <summary><c>models show</c>: the command's path below the root.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
