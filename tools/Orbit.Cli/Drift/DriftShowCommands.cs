using System.CommandLine;
using System.Globalization;
using Orbit.Cli.Registry;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Drift;

/// <summary>
/// <c>orbit drift show MODEL [--version V]</c> and <c>orbit drift history MODEL --feature F [--version V]</c>: the drift
/// monitor's view of a model through the gateway (<c>/v1/drift/…</c>), with the registry commands' connection, keys and
/// problem printing.
/// </summary>
internal static class DriftShowCommands
{
    public static Command Show(RegistryRunner runner)
    {
        var model = new Argument<string>("model") { Description = "Model name" };
        var version = new Option<int?>("--version") { Description = "Only this version" };
        var command = new Command("show", "A model's drift state per version: each feature's level, test and scores, and recent alerts");
        command.Arguments.Add(model);
        command.Options.Add(version);
        return runner.Define(command, (call, ct) => RunAsync(call, call.Get(model)!, call.Get(version), null, ShowVersion, ct));
    }

    public static Command History(RegistryRunner runner)
    {
        var model = new Argument<string>("model") { Description = "Model name" };
        var feature = new Option<string>("--feature") { Description = "Feature name (__predictions__ for the predictions)", Required = true };
        var version = new Option<int?>("--version") { Description = "Only this version" };
        var command = new Command("history", "One feature's scores over time, and its alert history");
        command.Arguments.Add(model);
        command.Options.Add(feature);
        command.Options.Add(version);
        return runner.Define(command, (call, ct) => RunAsync(call, call.Get(model)!, call.Get(version), call.Get(feature), ShowHistory, ct));
    }

    private static async Task<int> RunAsync(
        RegistryCall call, string model, int? version, string? feature, Action<DriftVersionView, string?> render, CancellationToken ct)
    {
        if (version is { } v)
        {
            return await call.AnswerAsync(await call.Api.DriftVersionAsync(model, v, feature, ct), view => render(view, feature));
        }

        return await call.AnswerAsync(await call.Api.DriftAsync(model, feature, ct), all =>
        {
            foreach (var view in all.Versions)
            {
                render(view, feature);
            }
        });
    }

    private static void ShowVersion(DriftVersionView view, string? feature)
    {
        Header(view);
        var table = new Table().AddColumns("FEATURE", "KIND", "LEVEL", "TEST", "VALUE", "WARN", "CRIT", "PSI", "JS", "KS", "N");
        foreach (var f in view.Features)
        {
            table.AddRow(
                Markup.Escape(f.Feature), f.Kind, f.Level, f.Test, Number(f.Value), Number(f.Warning), Number(f.Critical),
                Number(f.Scores.GetValueOrDefault("psi")), Number(f.Scores.GetValueOrDefault("js")), Number(f.Scores.GetValueOrDefault("ks")),
                f.SampleSize.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        Alerts(view.Alerts.TakeLast(10).ToList());
    }

    private static void ShowHistory(DriftVersionView view, string? feature)
    {
        Header(view);
        var series = view.Features.SingleOrDefault(f => f.Feature == feature);
        if (series is null)
        {
            AnsiConsole.MarkupLine($"no evaluations of feature {Markup.Escape(feature ?? "")} in this version");
            return;
        }

        string[] metrics = ["psi", "kl", "js", "ks", "ks_pvalue", "wasserstein", "chi2", "chi2_pvalue"];
        var table = new Table().AddColumns(["AT", "LEVEL", "N", .. metrics.Select(m => m.ToUpperInvariant())]);
        foreach (var point in series.Series)
        {
            table.AddRow([Views.Time(point.At), point.Level, point.SampleSize.ToString(CultureInfo.InvariantCulture),
                .. metrics.Select(m => Number(point.Scores.GetValueOrDefault(m)))]);
        }

        AnsiConsole.Write(table);
        Alerts(view.Alerts);
    }

    private static void Header(DriftVersionView view)
    {
        var reason = view.Reason is null ? "" : $" ({view.Reason})";
        var evaluated = view.EvaluatedAt is { } at ? Views.Time(at) : "never";
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{view.ModelName} v{view.ModelVersion}: {view.Status}{reason}; {view.SampleSize} rows in the last {view.WindowSeconds} s; evaluated {evaluated}"));
    }

    private static void Alerts(IReadOnlyList<DriftAlertView> alerts)
    {
        foreach (var a in alerts)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"  {Views.Time(a.At)}  {a.Feature}: {a.From} -> {a.To}  {a.Metric} = {Number(a.Value)} (threshold {Number(a.Threshold)}, n = {a.SampleSize})"));
        }
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";
}
