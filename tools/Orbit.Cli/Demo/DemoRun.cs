using System.Diagnostics;
using System.Globalization;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Retraining;
using Orbit.Contracts.Rollouts;
using Spectre.Console;

namespace Orbit.Cli.Demo;

/// <summary>One run of the demo, step by step, with what it saw kept for the summary.</summary>
internal sealed class DemoRun(DemoGateway platform, string key, string keySource, string model, string datasets)
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(4);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync(CancellationToken ct)
    {
        AnsiConsole.Write(new Rule("[bold]Orbit demo[/]").LeftJustified());
        AnsiConsole.MarkupLine($"Model [bold]{Markup.Escape(model)}[/] on {Markup.Escape(platform.Address.ToString())}. Short windows and intervals for the demo:");
        AnsiConsole.MarkupLine("  drift windows 20 s evaluated every 2 s, k = 2; canary steps 25 → 50 → 100 %, 5 s intervals and bake");
        AnsiConsole.MarkupLine("  [grey](production defaults: 5 min windows every 30 s, k = 3; steps 5 → 25 → 50 → 100 %, 60 s intervals, 5 min bake)[/]");

        await Step("Platform up with workers", async () =>
        {
            await Until(async () => await platform.ReadyAsync(ct) && await platform.WorkersAsync(ct) >= 1 ? "ready" : null, "the gateway and a worker to be ready", ct);
            return $"{await platform.WorkersAsync(ct)} workers";
        });

        var first = await Step("Train version 1 (retrainer, ML.NET logistic regression on a generated dataset)", async () =>
        {
            Directory.CreateDirectory(datasets);
            await File.WriteAllTextAsync(Path.Combine(datasets, model + ".csv"), DemoWorld.DatasetA(2000, seed: 7), ct);
            var attempt = await platform.RequestRetrainAsync("demo: version 1 from the generated dataset", ct);
            var done = await FinishedAsync(attempt.Id, ct);
            return done.Status == RetrainAttempted.Registered ? done.Reason ?? "registered" : throw new DemoException($"version 1 was not registered: {done.Status}, {done.Reason}");
        });

        await Step("Deploy version 1", async () =>
        {
            await platform.DeployAsync(1, ct);
            await Until(async () => await platform.ServedAsync(1, ct) ? "served" : null, "a worker to serve version 1", ct);
            await platform.SetPolicyAsync(DemoCommand.Policy, ct);
            return "stable 1 at 100 %; rollout policy: canary 25 → 50 → 100 %";
        });

        var batchInput = Path.Combine(datasets, model + "-batch.csv");
        await File.WriteAllTextAsync(batchInput, DemoWorld.BatchInput(20_000, seed: 11), ct);
        await using var realtime = new RealtimeTraffic(platform.Address, key, model, clients: 3, pause: TimeSpan.FromMilliseconds(100));
        await using var asynchronous = new AsyncTraffic(platform.Address, key, model, TimeSpan.FromMilliseconds(300));
        var batch = await Step("Traffic: real-time (3 clients), asynchronous (1 client) and a 20,000-row batch job", async () =>
        {
            var job = await platform.SubmitBatchAsync(batchInput, ct);
            var finished = await Until(async () => await platform.BatchAsync(job.Id, ct) is { State: "completed" or "failed" or "cancelled" } j ? j : null, $"batch job {job.Id}", ct);
            return finished.State == "completed"
                ? $"batch {finished.Id}: {finished.RowsDone:N0} rows at {finished.RowsPerSecond:N0} rows/s; real-time {realtime.Served:N0} requests so far"
                : throw new DemoException($"batch job {finished.Id} ended {finished.State}: {finished.Reason}");
        });

        var before = await Step("Drift of version 1 on traffic like its training data", async () =>
            Describe(await Until(async () => await platform.DriftAsync(1, ct) is { Status: "ok" } v ? v : null, "version 1 to be evaluated", ct)));

        realtime.Shift();
        var after = await Step("Shift: x0 moves by 1.5 σ and the rule changes; outcomes are posted for every request", async () =>
            Describe(await Until(async () => await platform.DriftAsync(1, ct) is { Status: "critical", Accuracy.Level: "critical" } v ? v : null, "drift and accuracy of version 1 to go critical", ct)));

        var retrained = await Step("The retrainer trains version 2 on the served rows joined with their outcomes", async () =>
        {
            var attempt = await Until(async () => (await platform.AttemptsAsync(ct)).FirstOrDefault(a => a.CandidateVersion == 2 && a.FinishedAt is not null), "version 2 to be registered", ct);
            return $"{attempt.Trigger} trigger → {attempt.Reason}";
        });

        var rollout = await Step("The canary judges version 2 against version 1 and promotes it", async () =>
        {
            var done = await Until(async () => await platform.RolloutAsync(ct) is { CandidateVersion: 2, State: not "running" and not "paused" } r ? r : null, "the rollout of version 2 to end", ct);
            return done.State == "promoted" ? $"promoted: {done.Reason}" : throw new DemoException($"the rollout of version 2 ended {done.State}: {done.Reason}");
        });

        await realtime.StopAsync();
        await asynchronous.StopAsync();
        var version2 = await platform.DriftAsync(2, ct);
        return Summarize(first, batch, before, after, retrained, version2, realtime, asynchronous, await platform.RolloutAsync(ct));
    }

    private int Summarize(string first, string batch, string before, string after, string retrained, DriftVersionView? version2,
        RealtimeTraffic realtime, AsyncTraffic asynchronous, RolloutView? rollout)
    {
        AnsiConsole.Write(new Rule("[bold]Summary[/]").LeftJustified());
        var table = new Table().AddColumns("", "");
        table.AddRow("version 1", Markup.Escape(first));
        table.AddRow("version 2", Markup.Escape(retrained));
        table.AddRow("drift before", Markup.Escape(before));
        table.AddRow("drift after", Markup.Escape(after));
        table.AddRow("version 2 now", Markup.Escape(version2 is null ? "-" : Describe(version2)));
        table.AddRow("batch", Markup.Escape(batch));
        var failed = realtime.Failures.Count + asynchronous.Failures.Count;
        table.AddRow("requests", $"{realtime.Served:N0} real-time ({realtime.Served * RealtimeTraffic.RowsPerRequest:N0} rows), {asynchronous.Completed:N0} asynchronous; [bold]{failed} failed[/]");
        AnsiConsole.Write(table);

        if (rollout is not null)
        {
            AnsiConsole.MarkupLine($"Decision records of rollout {Markup.Escape(rollout.Id)} ({Markup.Escape(rollout.State)}):");
            foreach (var decision in rollout.Decisions.Reverse())
            {
                AnsiConsole.MarkupLine(Markup.Escape($"  {decision.At:HH:mm:ss} at {decision.Weight} %: {decision.Verdict} → {decision.Action} ({decision.Reason})"));
                foreach (var m in decision.Metrics)
                {
                    AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"      {m.Metric}: candidate {m.Candidate:0.###} (n={m.CandidateSamples}) vs stable {m.Stable:0.###} (n={m.StableSamples}), p={m.PValue:0.####}: {m.Verdict}")));
                }
            }
        }

        foreach (var failure in realtime.Failures.Concat(asynchronous.Failures).Take(10))
        {
            AnsiConsole.MarkupLine($"[red]failed:[/] {Markup.Escape(failure)}");
        }

        AnsiConsole.MarkupLine($"Done in {_clock.Elapsed.TotalSeconds:0} s. The platform keeps running: open [bold]{Markup.Escape(platform.Address + "ui/")}[/] and log in with the API key from {Markup.Escape(keySource)}.");
        AnsiConsole.MarkupLine($"Next: ./orbit rollout status {Markup.Escape(model)} · ./orbit drift show {Markup.Escape(model)} · ./orbit retrain history {Markup.Escape(model)} · ./orbit down");
        return failed == 0 && rollout?.State == "promoted" ? 0 : 1;
    }

    private async Task<T> Step<T>(string title, Func<Task<T>> body)
    {
        var started = _clock.Elapsed;
        var result = await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(title + " …", _ => body());
        AnsiConsole.MarkupLine($"[green]✓[/] [grey]{started.TotalSeconds,4:0}s[/] {Markup.Escape(title)}: {Markup.Escape(result?.ToString() ?? "")}");
        return result;
    }

    private async Task<AttemptView> FinishedAsync(string id, CancellationToken ct) =>
        await Until(async () => (await platform.AttemptsAsync(ct)).FirstOrDefault(a => a.Id == id && a.FinishedAt is not null), $"retrain attempt {id}", ct);

    private static async Task<T> Until<T>(Func<Task<T?>> probe, string what, CancellationToken ct) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StepLimit)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }

        throw new DemoException($"waited {StepLimit.TotalMinutes:0} min for {what}");
    }

    private static string Describe(DriftVersionView view)
    {
        var x0 = view.Features.FirstOrDefault(f => f.Feature == "x0");
        var accuracy = view.Accuracy is { Accuracy: { } a } ? string.Create(CultureInfo.InvariantCulture, $", accuracy {a:0.000} ({view.Accuracy.Level})") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{view.Status} on {view.SampleSize:N0} rows; x0 {x0?.Test} {x0?.Value:0.###}{accuracy}");
    }
}
