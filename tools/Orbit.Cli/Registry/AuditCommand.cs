using System.CommandLine;
using System.Globalization;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit audit</c>: who changed what, newest first.</summary>
internal static class AuditCommand
{
    private const int MaxPage = 500;

    public static Command Create(RegistryRunner runner)
    {
        var model = new Option<string?>("--model") { Description = "Only entries about this model" };
        var actor = new Option<string?>("--actor") { Description = "Only entries made with this key id" };
        var since = new Option<string?>("--since") { Description = "Only entries since a time: a duration back from now (30m, 1h, 7d) or an ISO 8601 time" };
        var limit = new Option<int>("--limit") { Description = "How many entries to show at most", DefaultValueFactory = _ => 50 };
        var command = new Command("audit", "Show the audit log: who changed what, newest first") { model, actor, since, limit };
        return runner.Define(command, async (call, ct) =>
        {
            var take = call.Get(limit);
            var query = new AuditQuery(call.Get(model), call.Get(actor), Since.Parse(call.Get(since), DateTimeOffset.UtcNow).At, Math.Min(take, MaxPage));
            var result = await RegistryApi.AllAsync<AuditEntry>(cursor => call.Api.AuditAsync(query, cursor, ct), take);
            return await call.AnswerAsync(result, page =>
            {
                var table = new Table().AddColumns("TIME", "ACTOR", "TENANT", "ACTION", "TARGET");
                foreach (var entry in page.Items)
                {
                    table.AddRow(
                        Views.Time(entry.At),
                        Markup.Escape(entry.ActorKeyId),
                        Markup.Escape(entry.TenantId),
                        Markup.Escape(entry.Action),
                        Markup.Escape(entry.Target));
                }

                AnsiConsole.Write(table);
            });
        }, parse => parse.GetValue(limit) < 1
            ? "--limit must be 1 or more"
            : Since.Parse(parse.GetValue(since), DateTimeOffset.UtcNow).Error);
    }
}

/// <summary><c>--since</c>: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>, <c>2w</c> back from now, or an ISO 8601 time (UTC unless it says otherwise).</summary>
internal static class Since
{
    public static (DateTimeOffset? At, string? Error) Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        text = text.Trim();
        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            _ => TimeSpan.Zero,
        };
        if (unit != TimeSpan.Zero && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return (now - (unit * count), null);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at, null)
            : (null, $"--since '{text}' is neither a duration (30m, 1h, 7d) nor an ISO 8601 time (2026-01-31T12:00:00Z)");
    }
}
