using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Drift;
using Orbit.Drift.Scores;
using Spectre.Console;

namespace Orbit.Cli.Drift;

/// <summary>
/// <c>orbit drift compare BASELINE.csv LIVE.csv [--json]</c>: the monitor's scoring code on two CSV files, every
/// statistic per column. <c>--json</c> prints <c>{"features": {"col": {"kind", "psi", "kl", "js", "ks", …}}}</c>.
/// </summary>
internal static class DriftCompareCommand
{
    public static Command Create(TextWriter? writer = null, TextWriter? errors = null)
    {
        var baseline = new Argument<string>("baseline") { Description = "CSV file of the reference data (a header row; numeric and string columns)" };
        var live = new Argument<string>("live") { Description = "CSV file of the data to compare with it" };
        var json = new Option<bool>("--json") { Description = "Same as --output json" };
        var output = OutputFormat.Create("table (the default), or json: {\"features\": {\"<column>\": {\"kind\", \"psi\", \"kl\", \"js\", \"ks\", …}}}");
        var format = new OutputFormat(output, json);
        var command = new Command("compare", "Score every column of LIVE.csv against BASELINE.csv: PSI, KL, JS, KS (binned and raw, with p-value), Wasserstein, chi-squared");
        command.Arguments.Add(baseline);
        command.Arguments.Add(live);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            if (format.Conflict(parse) is { } conflict)
            {
                (errors ?? Console.Error).WriteLine($"orbit drift compare: {conflict}");
                return 2;
            }

            return Run(parse.GetValue(baseline)!, parse.GetValue(live)!, format.IsJson(parse), writer ?? Console.Out, errors ?? Console.Error);
        });
        return command;
    }

    internal static int Run(string baselinePath, string livePath, bool json, TextWriter output, TextWriter errors)
    {
        CsvComparison comparison;
        try
        {
            comparison = CsvComparison.Compare(CsvColumns.Read(baselinePath), CsvColumns.Read(livePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            errors.WriteLine($"orbit drift compare: {e.Message}");
            errors.WriteLine("next: orbit drift compare --help (two CSV files with a header row)");
            return 2;
        }

        if (json)
        {
            output.WriteLine(Json(comparison));
        }
        else
        {
            Table(comparison, output);
        }

        return 0;
    }

    internal static string Json(CsvComparison comparison)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("features");
            foreach (var column in comparison.Columns)
            {
                var s = column.Scores;
                writer.WriteStartObject(column.Name);
                writer.WriteString("kind", s.Kind);
                Number(writer, MetricNames.Psi, s.Psi);
                Number(writer, MetricNames.Kl, s.Kl);
                Number(writer, MetricNames.Js, s.Js);
                Number(writer, MetricNames.Ks, s.Ks);
                if (s.Kind == FeatureWindow.Numeric)
                {
                    Number(writer, MetricNames.KsRaw, s.KsRaw);
                    Number(writer, MetricNames.KsPValue, s.KsPValue);
                    writer.WriteString("ks_pvalue_method", s.KsExact == true ? "exact" : "asymptotic");
                    Number(writer, MetricNames.Wasserstein, s.Wasserstein);
                    Number(writer, "wasserstein_binned", s.WassersteinBinned);
                }
                else
                {
                    Number(writer, MetricNames.ChiSquared, s.ChiSquared);
                    Number(writer, MetricNames.ChiSquaredPValue, s.ChiSquaredPValue);
                }

                writer.WriteNumber("baseline_count", s.BaselineCount);
                writer.WriteNumber("live_count", s.LiveCount);
                writer.WriteNumber("baseline_missing", column.BaselineMissing);
                writer.WriteNumber("live_missing", column.LiveMissing);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteNumber("baseline_rows", comparison.BaselineRows);
            writer.WriteNumber("live_rows", comparison.LiveRows);
            writer.WriteStartObject("skipped");
            foreach (var (name, reason) in comparison.Skipped)
            {
                writer.WriteString(name, reason);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Table(CsvComparison comparison, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        var table = new Table().AddColumns("COLUMN", "KIND", "PSI", "KL", "JS", "KS", "KS RAW", "KS P", "WASSERSTEIN", "CHI2", "CHI2 P", "N BASE", "N LIVE");
        foreach (var column in comparison.Columns)
        {
            var s = column.Scores;
            table.AddRow(
                Markup.Escape(column.Name), s.Kind, F(s.Psi), F(s.Kl), F(s.Js), F(s.Ks), F(s.KsRaw), P(s.KsPValue), F(s.Wasserstein),
                F(s.ChiSquared), P(s.ChiSquaredPValue),
                s.BaselineCount.ToString(CultureInfo.InvariantCulture), s.LiveCount.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        output.WriteLine($"baseline rows {comparison.BaselineRows}, live rows {comparison.LiveRows}; numeric columns are binned by the baseline's deciles");
        foreach (var (name, reason) in comparison.Skipped)
        {
            output.WriteLine($"skipped {name}: {reason}");
        }
    }

    private static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string P(double? value) => value is { } v && double.IsFinite(v) ? v.ToString(v is > 0 and < 1e-4 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture) : "-";
}
