using System.Text.Json.Nodes;
using Orbit.Cli.Drift;

namespace Orbit.Cli.Tests.Drift;

public sealed class DriftCompareCommandTests
{
    private static string Vector(string file) => Path.Combine(AppContext.BaseDirectory, "drift-vectors", file);

    [Fact]
    public async Task Output_json_is_the_same_as_json_and_both_with_output_table_is_bad_usage()
    {
        async Task<(int Exit, string Out, string Error)> InvokeAsync(params string[] options)
        {
            var (output, errors) = (new StringWriter(), new StringWriter());
            var exit = await DriftCompareCommand.Create(output, errors).Parse([Vector("baseline.csv"), Vector("live.csv"), .. options]).InvokeAsync();
            return (exit, output.ToString(), errors.ToString());
        }

        var json = await InvokeAsync("--json");
        var output = await InvokeAsync("--output", "json");
        var both = await InvokeAsync("--json", "--output", "table");

        Assert.Equal(0, output.Exit);
        Assert.Equal(json.Out, output.Out);
        Assert.NotNull(JsonNode.Parse(output.Out)!["features"]);
        Assert.Equal(2, both.Exit);
        Assert.Contains("--json and --output table", both.Error);
    }

    [Fact]
    public void Compare_json_matches_numpy_and_scipy_on_every_column_to_1e_9()
    {
        var (exit, output, errors) = Run(Vector("baseline.csv"), Vector("live.csv"), json: true);
        Assert.True(exit == 0, errors);

        var actual = JsonNode.Parse(output)!["features"]!.AsObject();
        var expected = JsonNode.Parse(File.ReadAllText(Vector("compare.json")))!["features"]!.AsObject();
        Assert.Equal(expected.Select(p => p.Key).Order(), actual.Select(p => p.Key).Order());
        foreach (var (column, scores) in expected)
        {
            foreach (var (metric, value) in scores!.AsObject())
            {
                var got = actual[column]![metric];
                if (metric == "kind")
                {
                    Assert.Equal((string)value!, (string)got!);
                }
                else if (value is null)
                {
                    Assert.Null(got);
                }
                else
                {
                    var want = (double)value;
                    Assert.True(got is not null, $"{column}.{metric} missing");
                    Assert.True(Math.Abs((double)got! - want) <= 1e-9 * Math.Max(1, Math.Abs(want)), $"{column}.{metric}: expected {want:R}, got {(double)got:R}");
                }
            }
        }

        Assert.Equal(25, (long)actual["income"]!["baseline_missing"]!);
        Assert.Equal("exact", (string)actual["age"]!["ks_pvalue_method"]!);
    }

    [Fact]
    public void The_table_prints_every_column_with_its_statistics()
    {
        var (exit, output, _) = Run(Vector("baseline.csv"), Vector("live.csv"), json: false);
        Assert.Equal(0, exit);
        foreach (var text in new[] { "PSI", "KS RAW", "CHI2 P", "age", "income", "plan", "region", "0.1988" })
        {
            Assert.Contains(text, output);
        }
    }

    [Fact]
    public void Columns_in_one_file_only_are_reported_as_skipped_and_quoted_cells_are_read()
    {
        var directory = Directory.CreateTempSubdirectory("orbit-drift-compare-");
        var baseline = Path.Combine(directory.FullName, "b.csv");
        var live = Path.Combine(directory.FullName, "l.csv");
        File.WriteAllText(baseline, "x,city,old\n1,\"Paris, FR\",1\n2,Rome,2\n3,NA,3\n");
        File.WriteAllText(live, "x,city,new\n1.5,\"Paris, FR\",1\n2.5,\"Oslo \"\"N\"\"\",2\n");

        var (exit, output, _) = Run(baseline, live, json: true);

        Assert.Equal(0, exit);
        var root = JsonNode.Parse(output)!;
        Assert.Equal("numeric", (string)root["features"]!["x"]!["kind"]!);
        Assert.Equal("categorical", (string)root["features"]!["city"]!["kind"]!);
        Assert.Equal(1, (long)root["features"]!["city"]!["baseline_missing"]!);
        Assert.Equal("only in the baseline file", (string)root["skipped"]!["old"]!);
        Assert.Equal("only in the live file", (string)root["skipped"]!["new"]!);
        directory.Delete(true);
    }

    [Fact]
    public void A_missing_file_exits_2_with_the_reason()
    {
        var (exit, _, errors) = Run("/nonexistent/b.csv", Vector("live.csv"), json: true);
        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/b.csv", errors);
    }

    [Fact]
    public void A_row_with_more_cells_than_the_header_exits_2_naming_the_row()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "a,b\n1,2\n1,2,3\n");
        var (exit, _, errors) = Run(file, file, json: true);
        Assert.Equal(2, exit);
        Assert.Contains("row 2 has 3 cells", errors);
        File.Delete(file);
    }

    private static (int Exit, string Output, string Errors) Run(string baseline, string live, bool json)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = DriftCompareCommand.Run(baseline, live, json, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
