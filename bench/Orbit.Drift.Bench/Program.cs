using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Drift;
using Orbit.Drift.Alerts;
using Orbit.Drift.Binning;
using Orbit.Drift.Comparison;
using Orbit.Drift.Scores;
using Orbit.Drift.Windows;

// Drift benchmarks, each with a same-run baseline:
//  1. ingest: values summarised per second on one core (binary search into 10 bins + count/sum/min/max), beside a loop
//     that only sums the same values; and the monitor's per-window path (JSON parse, baseline check, merge).
//  2. evaluation of one version with 1,000 numeric features: 30 windows (5 min of 10 s windows) parsed, merged, scored,
//     trackers stepped; beside the issue's 1 s goal.
//  3. compare: 1 M rows × 30 numeric columns, baseline and live, every statistic, in memory and from CSV files (the
//     `orbit drift compare` path), beside Evidently's reported 3 M × 1 k in 6 h (139 k values/s).
var rows = IntOption("--rows", 1_000_000);
var columns = IntOption("--columns", 30);
var features = IntOption("--features", 1000);
var random = new Random(20261130);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

// 1. Ingest.
var values = new double[10_000_000];
for (var i = 0; i < values.Length; i++)
{
    values[i] = Normal(random);
}

var edges = BinEdges.Deciles(values.AsSpan(0, 100_000).ToArray().Order().ToArray());
double sink = 0;
var baselineLoop = Best(3, () =>
{
    double s = 0;
    foreach (var v in values)
    {
        s += v;
    }

    sink += s;
});
var accumulate = Best(3, () =>
{
    var accumulator = new NumericAccumulator(edges);
    accumulator.AddRange(values);
    sink += accumulator.ToWindow().Count;
});
Console.WriteLine($"## Ingest, one thread ({values.Length:N0} values)");
Console.WriteLine();
Console.WriteLine("| path | values/s | ÷ plain sum loop |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine($"| plain sum loop (baseline) | {values.Length / baselineLoop:N0} | 1.00 |");
Console.WriteLine($"| NumericAccumulator.Add (10 bins, count, sum, sum², min, max) | {values.Length / accumulate:N0} | {baselineLoop / accumulate:F2} |");

// The monitor's side: a 10 s window of 10,000 rows × 30 features as the stream carries it.
var baseline = new VersionBaseline(100_000, Enumerable.Range(0, columns).ToDictionary(c => $"f{c}", _ => FeatureBaseline.Numeric(edges, Enumerable.Repeat(10_000.0, 10).ToArray())), null);
var windowBody = JsonSerializer.Serialize(Window(baseline, 10_000, random), json);
const int Messages = 2000;
var monitorPath = Best(3, () =>
{
    var histograms = baseline.Features.ToDictionary(f => f.Key, f => new WindowHistogram(f.Value.Kind, f.Value.Edges.Length + 1));
    for (var m = 0; m < Messages; m++)
    {
        var window = JsonSerializer.Deserialize<FeatureStatsObserved>(windowBody, json)!;
        foreach (var (name, feature) in window.Features)
        {
            var histogram = histograms[name];
            if (histogram.Rejects(feature) is null)
            {
                histogram.Add(feature);
            }
        }
    }
});
var parseOnly = Best(3, () =>
{
    for (var m = 0; m < Messages; m++)
    {
        sink += JsonSerializer.Deserialize<FeatureStatsObserved>(windowBody, json)!.Rows;
    }
});
Console.WriteLine($"| monitor: window JSON parsed, checked, merged ({windowBody.Length:N0} B, 10,000 rows × {columns} features) | {Messages * 10_000.0 * columns / monitorPath:N0} | windows/s {Messages / monitorPath:N0}; JSON parse alone {Messages / parseOnly:N0}/s |");
Console.WriteLine();

// 2. Evaluation of 1,000 numeric features.
var wide = new VersionBaseline(100_000, Enumerable.Range(0, features).ToDictionary(c => $"f{c:D4}", _ => FeatureBaseline.Numeric(edges, Enumerable.Repeat(10_000.0, 10).ToArray())), null);
var bodies = Enumerable.Range(0, 30).Select(_ => JsonSerializer.Serialize(Window(wide, 1_000, random), json)).ToList();
var trackers = wide.Features.Keys.ToDictionary(k => k, _ => new AlertTracker());
var evaluation = Best(5, () =>
{
    var histograms = new Dictionary<string, WindowHistogram>(StringComparer.Ordinal);
    foreach (var body in bodies)
    {
        var window = JsonSerializer.Deserialize<FeatureStatsObserved>(body, json)!;
        foreach (var (name, feature) in window.Features)
        {
            if (!histograms.TryGetValue(name, out var h))
            {
                histograms[name] = h = new WindowHistogram(FeatureWindow.Numeric, edges.Length + 1);
            }

            h.Add(feature);
        }
    }

    foreach (var (name, histogram) in histograms)
    {
        var scores = WindowScorer.Score(wide.Features[name], histogram, wide.Rows);
        var test = DefaultTests.For(FeatureWindow.Numeric, wide.Rows);
        trackers[name].Step(MetricNames.ValueOf(scores, test.Name), test.Thresholds);
        sink += JsonSerializer.Serialize(FeatureLatestLike(scores), json).Length;
    }
});
Console.WriteLine($"## Evaluation of one version with {features:N0} numeric features (30 windows of {bodies[0].Length:N0} B)");
Console.WriteLine();
Console.WriteLine("| step | ms | ÷ the 1 s goal |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine($"| parse + merge 30 windows, score every feature (PSI, KL, JS, KS + p, Wasserstein, χ²), step trackers, serialise the results | {evaluation * 1000:F1} | {evaluation:F3} |");
Console.WriteLine();

// 3. Compare on rows × columns.
var baseColumns = Enumerable.Range(0, columns).Select(_ => Column(rows, 0, random)).ToArray();
var liveColumns = Enumerable.Range(0, columns).Select(c => Column(rows, c % 3 == 0 ? 0.1 : 0, random)).ToArray();
var sortBaseline = Best(1, () =>
{
    foreach (var column in baseColumns.Concat(liveColumns))
    {
        var copy = (double[])column.Clone();
        Array.Sort(copy);
        sink += copy[0];
    }
});
var inMemory = Best(1, () =>
{
    for (var c = 0; c < columns; c++)
    {
        sink += SampleComparison.Numeric(baseColumns[c], liveColumns[c]).Psi;
    }
});
var work = Directory.CreateTempSubdirectory("orbit-drift-bench-").FullName;
try
{
    var baselineCsv = Path.Combine(work, "baseline.csv");
    var liveCsv = Path.Combine(work, "live.csv");
    WriteCsv(baselineCsv, baseColumns);
    WriteCsv(liveCsv, liveColumns);
    var cli = FindCli();
    var fromCsv = cli is null ? double.NaN : Best(1, () =>
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{cli}\" drift compare \"{baselineCsv}\" \"{liveCsv}\" --json") { RedirectStandardOutput = true })!;
        sink += process.StandardOutput.ReadToEnd().Length;
        process.WaitForExit();
    });
    var totalValues = 2.0 * rows * columns;
    const double Evidently = 3e6 * 1000 / (6 * 3600.0);
    Console.WriteLine($"## drift compare, {rows:N0} rows × {columns} numeric columns, baseline and live ({new FileInfo(baselineCsv).Length / 1e6:F0} MB CSV each)");
    Console.WriteLine();
    Console.WriteLine("| path | s | values/s | ÷ Evidently's reported 139 k values/s |");
    Console.WriteLine("|---|---:|---:|---:|");
    Console.WriteLine($"| sort every column once (baseline: the least any exact KS/Wasserstein needs) | {sortBaseline:F2} | {totalValues / sortBaseline:N0} | {totalValues / sortBaseline / Evidently:F0} |");
    Console.WriteLine($"| every statistic, values in memory | {inMemory:F2} | {totalValues / inMemory:N0} | {totalValues / inMemory / Evidently:F0} |");
    Console.WriteLine($"| `orbit drift compare --json` on the CSV files (process start, parsing included) | {fromCsv:F2} | {totalValues / fromCsv:N0} | {totalValues / fromCsv / Evidently:F0} |");
}
finally
{
    Directory.Delete(work, recursive: true);
}

GC.KeepAlive(sink);
return 0;

static double Best(int runs, Action action)
{
    var best = double.MaxValue;
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }

    return best;
}

static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

static double[] Column(int rows, double shift, Random random)
{
    var column = new double[rows];
    for (var i = 0; i < rows; i++)
    {
        column[i] = Math.Round(Normal(random) + shift, 3);
    }

    return column;
}

static FeatureStatsObserved Window(VersionBaseline baseline, int rows, Random random)
{
    var features = new Dictionary<string, FeatureWindow>();
    foreach (var (name, feature) in baseline.Features)
    {
        var accumulator = new NumericAccumulator(feature.Edges);
        for (var r = 0; r < rows; r++)
        {
            accumulator.Add(Normal(random));
        }

        features[name] = accumulator.ToWindow();
    }

    return new FeatureStatsObserved(Guid.NewGuid().ToString("N"), "t", "m", 1, "w", DateTimeOffset.UtcNow.AddSeconds(-10), DateTimeOffset.UtcNow, rows, features);
}

static object FeatureLatestLike(DriftScores s) => new { s.Psi, s.Kl, s.Js, s.Ks, s.KsPValue, s.WassersteinBinned };

static void WriteCsv(string path, double[][] columns)
{
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
    writer.WriteLine(string.Join(',', Enumerable.Range(0, columns.Length).Select(c => $"c{c}")));
    var line = new StringBuilder();
    for (var r = 0; r < columns[0].Length; r++)
    {
        line.Clear();
        for (var c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                line.Append(',');
            }

            line.Append(columns[c][r].ToString("R", CultureInfo.InvariantCulture));
        }

        writer.WriteLine(line);
    }
}

static string? FindCli()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var dll = Path.Combine(directory.FullName, "tools", "Orbit.Cli", "bin", "Release", "net10.0", "orbit.dll");
        if (File.Exists(dll))
        {
            return dll;
        }
    }

    return null;
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
