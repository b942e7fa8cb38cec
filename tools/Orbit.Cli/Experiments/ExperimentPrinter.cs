using System.Globalization;
using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orbit.Cli.Experiments;

/// <summary>An experiment in a terminal: where it stands, each arm's numbers, and each arm against the control.</summary>
internal static class ExperimentPrinter
{
    public static void Write(ExperimentView experiment) => AnsiConsole.Write(Render(experiment));

    public static IRenderable Render(ExperimentView e)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]experiment[/]", Markup.Escape(e.Id));
        summary.AddRow("[bold]model[/]", Markup.Escape(e.Model));
        summary.AddRow("[bold]state[/]", State(e.State) + (e.Reason is null ? "" : " — " + Markup.Escape(e.Reason)));
        summary.AddRow("[bold]split[/]", string.Join(" / ", e.Arms.Select(a => $"v{a.Version} {a.Weight}%" + (a.Control ? " (control)" : ""))));
        summary.AddRow("[bold]time[/]", $"{Views.Time(e.StartedAt)} → {Views.Time(e.EndsAt)} ({e.DurationSeconds} s), evidence to {Views.Time(e.CollectedTo)}, every {e.IntervalSeconds} s");
        summary.AddRow("[bold]at the end[/]", e.OnEnd == "keep" ? "the split stays" : "all traffic back to the control");
        summary.AddRow("[bold]started by[/]", Markup.Escape(e.StartedBy) + (e.EndedAt is { } end ? $", ended {Views.Time(end)}" : ""));

        var arms = new Table().Title("arms").AddColumns("VERSION", "WEIGHT", "REQUESTS", "ERRORS", "ERROR RATE", "LATENCY P50 / P99 (ms)", "SAMPLES", "ACCURACY");
        foreach (var a in e.Arms)
        {
            arms.AddRow(a.Control ? $"[bold]{a.Version}[/] (control)" : a.Version.ToString(CultureInfo.InvariantCulture), $"{a.Weight}%",
                a.Requests.ToString(CultureInfo.InvariantCulture), a.Errors.ToString(CultureInfo.InvariantCulture), F(a.ErrorRate),
                $"{F(a.LatencyP50Ms)} / {F(a.LatencyP99Ms)}", a.LatencySamples.ToString(CultureInfo.InvariantCulture),
                a.Accuracy is { } accuracy ? $"{F(accuracy)} ({a.Correct}/{a.Labelled})" : "-");
        }

        var level = F((1 - e.Alpha) * 100);
        var comparisons = new Table().Title($"against the control (version {e.ControlVersion}); {level} % intervals, α = {F(e.Alpha)}")
            .AddColumns("VERSION", "METRIC", "DIFFERENCE", $"{level} % INTERVAL", "P", "", "TEST / NOTE");
        foreach (var a in e.Arms.Where(a => !a.Control))
        {
            foreach (var c in a.VsControl)
            {
                comparisons.AddRow(a.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Metric),
                    c.Difference is { } d ? F(d) : "-", c.CiLow is { } low && c.CiHigh is { } high ? $"[{F(low)}, {F(high)}]".Replace("[", "[[").Replace("]", "]]") : "-",
                    c.PValue is { } p ? F(p) : "-", c.Significant ? "[yellow]significant[/]" : "",
                    Markup.Escape($"{c.Test}: {c.Note}"));
            }
        }

        return new Rows(summary, arms, comparisons);
    }

    private static string State(string state) => state switch
    {
        "completed" => "[green]completed[/]",
        "aborted" => "[red]aborted[/]",
        "running" => "[blue]running[/]",
        _ => Markup.Escape(state),
    };

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
