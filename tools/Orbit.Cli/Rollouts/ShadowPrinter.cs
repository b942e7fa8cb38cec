using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orbit.Cli.Rollouts;

/// <summary>A shadow's part of a rollout: what was mirrored, how the answers compared, and the verdict once given.</summary>
internal static class ShadowPrinter
{
    public static IRenderable Render(ShadowView s)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]mirror[/]", Markup.Escape($"{s.MirrorPercent} % of stable's requests, for {s.DurationSeconds} s (until {Views.Time(s.EndsAt)})"
            + (s.PromoteOnPass ? "; promotes on pass" : "")));
        grid.AddRow("[bold]passes when[/]", Markup.Escape($"≥{s.MinSamples} mirrored, agreement ≥ {RolloutPrinter.F(s.AgreementThreshold)}, error rate at most stable's + {RolloutPrinter.F(s.ErrorRateMargin)}"
            + (s.MaxMeanAbsDiff is { } max ? $", mean abs diff ≤ {RolloutPrinter.F(max)}" : "")));
        grid.AddRow("[bold]mirrored[/]", $"{s.Mirrored} ({s.Compared} compared, {s.Incomparable} incomparable, {s.Skipped} skipped)");
        grid.AddRow("[bold]agreement[/]", s.Agreement is { } a ? $"{RolloutPrinter.F(a)} over {s.ClassifiedRows} rows" : "[grey]- (no labels compared)[/]");
        grid.AddRow("[bold]mean abs diff[/]", s.MeanAbsDiff is { } m ? $"{RolloutPrinter.F(m)} over {s.NumericValues} values" : "[grey]- (no numbers compared)[/]");
        grid.AddRow("[bold]error rate[/]", $"shadow {Rate(s.ShadowErrorRate)} / stable {Rate(s.StableErrorRate)}");
        grid.AddRow("[bold]latency p50 / p95[/]", $"shadow {Latency(s.ShadowLatency)} / stable {Latency(s.StableLatency)} ms");
        if (s.Verdict is { } verdict)
        {
            grid.AddRow("[bold]verdict[/]", RolloutPrinter.Verdict(verdict));
        }

        foreach (var finding in s.Findings)
        {
            grid.AddRow("[bold]note[/]", Markup.Escape(finding));
        }

        return new Panel(grid).Header("shadow");
    }

    private static string Rate(double? rate) => rate is { } r ? RolloutPrinter.F(r) : "-";

    private static string Latency(ShadowLatencyView l) =>
        l.P50Ms is { } p50 ? $"{RolloutPrinter.F(p50)} / {RolloutPrinter.F(l.P95Ms!.Value)}" : "-";
}
