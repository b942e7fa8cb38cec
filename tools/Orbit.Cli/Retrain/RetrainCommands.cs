using Orbit.Contracts.Retraining;
using System.CommandLine;
using System.Globalization;
using Orbit.Cli.Registry;
using Spectre.Console;

namespace Orbit.Cli.Retrain;

/// <summary>
/// <c>orbit retrain MODEL [--reason TEXT] [--wait]</c>: ask the retrainer for a retrain now (it skips the debounce
/// and cooldown, not the one-at-a-time rule); <c>orbit retrain history MODEL</c>: every trigger and what became of it.
/// </summary>
internal static class RetrainCommands
{
    private static readonly string[] Finished = ["skipped", "failed", "rejected", "registered"];

    public static Command Create(RegistryRunner runner, Func<string, string?>? environment = null, TimeSpan? pollInterval = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var poll = pollInterval ?? TimeSpan.FromSeconds(2);
        var model = new Argument<string>("model") { Description = "The model to retrain" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded with the attempt)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the attempt ends; exit 0 only when a version was registered" };
        var retrainer = RetrainerOption();
        var command = new Command("retrain", "Retrain a model now, or show its retrain history") { model, reason, wait, retrainer };
        runner.Define(command, async (call, ct) =>
        {
            var api = Api(call, retrainer, env);
            var name = call.Get(model)!;
            var result = await api.RequestAsync(name, call.Get(reason), ct);
            if (await call.FailedAsync(result))
            {
                return RegistryRunner.Failed;
            }

            var attempt = result.Value!;
            var json = result.Json;
            while (call.Get(wait) && !Finished.Contains(attempt.Status))
            {
                await Task.Delay(poll, ct);
                var next = await api.GetAsync(name, attempt.Id, ct);
                if (await call.FailedAsync(next))
                {
                    return RegistryRunner.Failed;
                }

                (attempt, json) = (next.Value!, next.Json);
            }

            if (call.Json)
            {
                RegistryCall.WriteJson(json);
            }
            else
            {
                AnsiConsole.MarkupLine($"retrain {Markup.Escape(attempt.Id)} of {Markup.Escape(name)}: [bold]{Markup.Escape(attempt.Status)}[/]");
                if (attempt.Reason is { Length: > 0 } why)
                {
                    AnsiConsole.MarkupLine(Markup.Escape(why));
                }
            }

            return !call.Get(wait) || attempt.Status == "registered" ? RegistryRunner.Ok : RegistryRunner.Failed;
        }, parse => string.IsNullOrWhiteSpace(parse.GetValue(model)) ? "MODEL is required" : RetrainApi.ResolveUrl(parse.GetValue(retrainer), env).Error);
        command.Subcommands.Add(History(runner, env));
        return command;
    }

    private static Command History(RegistryRunner runner, Func<string, string?> env)
    {
        var model = new Argument<string>("model") { Description = "The model" };
        var limit = new Option<int>("--limit") { Description = "How many attempts to show at most (1–500)", DefaultValueFactory = _ => 50 };
        var retrainer = RetrainerOption();
        var command = new Command("history", "Show every retrain trigger of a model, acted on or skipped, with the reason, newest first") { model, limit, retrainer };
        return runner.Define(command, async (call, ct) =>
        {
            var result = await Api(call, retrainer, env).HistoryAsync(call.Get(model)!, call.Get(limit), ct);
            return await call.AnswerAsync(result, page =>
            {
                if (page.Items.Count == 0)
                {
                    AnsiConsole.MarkupLine("no retrain triggers yet (./orbit retrain MODEL asks for one)");
                    return;
                }

                var table = new Table().AddColumns("ATTEMPT", "TIME", "TRIGGER", "STATUS", "STABLE", "CANDIDATE", "METRICS", "REASON");
                foreach (var a in page.Items)
                {
                    table.AddRow(
                        Markup.Escape(a.Id),
                        Views.Time(a.CreatedAt),
                        Markup.Escape(a.Trigger),
                        Markup.Escape(a.Status),
                        Views.Version(a.StableVersion),
                        Views.Version(a.CandidateVersion),
                        Views.Cell(Metrics(a)),
                        Views.Cell(a.Reason));
                }

                AnsiConsole.Write(table);
            });
        }, parse => parse.GetValue(limit) is < 1 or > 500
            ? "--limit must be from 1 to 500"
            : RetrainApi.ResolveUrl(parse.GetValue(retrainer), env).Error);
    }

    private static Option<string?> RetrainerOption() =>
        new("--retrainer") { Description = $"Retrainer URL [{RetrainApi.UrlVariable}, else http://127.0.0.1:<ORBIT_BASE_PORT + 3>]" };

    private static RetrainApi Api(RegistryCall call, Option<string?> retrainer, Func<string, string?> env) =>
        new(call.Api.Http, RetrainApi.ResolveUrl(call.Get(retrainer), env).Url!, call.Api.Connection.Key!);

    private static string? Metrics(AttemptView a) =>
        a.CandidateMetrics is not { Count: > 0 } candidate
            ? null
            : string.Join(" ", candidate.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m =>
                a.StableMetrics?.TryGetValue(m.Key, out var stable) == true
                    ? string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.###} (stable {stable:0.###})")
                    : string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.###}")));
}
