using System.Globalization;
using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orbit.Cli.Rollouts;

/// <summary>A rollout in a terminal: where it stands, its recent decisions, and the numbers behind the latest one.</summary>
internal static class RolloutPrinter
{
    public static void Write(RolloutView rollout) => AnsiConsole.Write(Render(rollout));

    public static IRenderable Render(RolloutView r)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]rollout[/]", Markup.Escape(r.Id));
        summary.AddRow("[bold]model[/]", Markup.Escape(r.Model));
        summary.AddRow("[bold]state[/]", State(r.State) + (r.Reason is null ? "" : " — " + Markup.Escape(r.Reason)));
        summary.AddRow("[bold]versions[/]", $"stable {r.StableVersion} → candidate {r.CandidateVersion} ({Markup.Escape(r.Strategy)})");
        if (r.Shadow is null)
        {
            summary.AddRow("[bold]steps[/]", string.Join(" → ", r.Steps.Select((w, i) => i == r.Step ? $"[bold underline]{w}%[/]" : $"{w}%")));
            summary.AddRow("[bold]bake / interval[/]", $"{r.BakeSeconds} s / {r.IntervalSeconds} s");
        }
        summary.AddRow("[bold]analysis[/]", Markup.Escape(
            $"α {F(r.Analysis.Alpha)}, ≥{r.Analysis.MinSamples} samples per arm, margins: errors {F(r.Analysis.ErrorRateMargin)}, latency {F(r.Analysis.LatencyMargin * 100)} %, accuracy {F(r.Analysis.AccuracyMargin)}; " +
            $"rollback at {r.Analysis.FailureLimit} failing intervals per step or {r.Analysis.SourceErrorLimit} unreadable in a row; inconclusive: {r.Analysis.OnInconclusive}"));
        summary.AddRow("[bold]started[/]", $"{Views.Time(r.StartedAt)} by {Markup.Escape(r.StartedBy)}" + (r.EndedAt is { } end ? $", ended {Views.Time(end)}" : ""));
        var parts = new List<IRenderable> { summary };
        if (r.Shadow is { } shadow)
        {
            parts.Add(ShadowPrinter.Render(shadow));
        }

        if (r.Decisions.Count == 0)
        {
            parts.Add(new Markup(r.Shadow is null ? "decisions: [grey]none yet (the first comes after one interval)[/]" : "verdict: [grey]when the shadow's time is up[/]"));
            return new Rows(parts);
        }

        var decisions = new Table().Title("recent decisions").AddColumns("TIME", "WEIGHT", "VERDICT", "ACTION", "WHY");
        foreach (var d in r.Decisions)
        {
            decisions.AddRow(Views.Time(d.At), $"{d.Weight}%", Verdict(d.Verdict), Markup.Escape(d.Action), Markup.Escape(d.Reason));
        }

        parts.Add(decisions);
        var latest = r.Decisions[0];
        if (latest.Metrics.Count > 0)
        {
            var metrics = new Table().Title($"latest analysis ({Views.Time(latest.IntervalStart)} – {Views.Time(latest.IntervalEnd)})")
                .AddColumns("METRIC", "CANDIDATE", "STABLE", "MARGIN", "SAMPLES", "P", "VERDICT", "TEST / REASON");
            foreach (var m in latest.Metrics)
            {
                metrics.AddRow(Markup.Escape(m.Metric), F(m.Candidate), F(m.Stable), F(m.Margin), $"{m.CandidateSamples} / {m.StableSamples}",
                    m.PValue is { } p ? F(p) : "-", Verdict(m.Verdict), Markup.Escape($"{m.Test}: {m.Reason}"));
            }

            parts.Add(metrics);
        }

        return new Rows(parts);
    }

    private static string State(string state) => state switch
    {
        "promoted" => "[green]promoted[/]",
        "completed" => "[green]completed[/]",
        "rolled-back" => "[red]rolled-back[/]",
        "running" => "[blue]running[/]",
        _ => Markup.Escape(state),
    };

    internal static string Verdict(string verdict) => verdict switch
    {
        "pass" => "[green]pass[/]",
        "fail" => "[red]fail[/]",
        _ => $"[yellow]{Markup.Escape(verdict)}[/]",
    };

    internal static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
