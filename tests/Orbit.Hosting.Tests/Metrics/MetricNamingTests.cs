using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Orbit.Testing;

namespace Orbit.Hosting.Tests.Metrics;

/// <summary>How OpenTelemetry's Prometheus exporter, as Orbit configures it, names and shapes what an instrument records.</summary>
public sealed class MetricNamingTests
{
    [Fact]
    public async Task A_counter_is_exported_with_total_suffix_and_sorted_escaped_labels()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = NewOrbitMeter();
        var name = NewName();
        var counter = meter.CreateCounter<long>(name, unit: "{thing}", description: "Things counted.");

        counter.Add(2, new("model", "a\"b"), new("code", "x"));
        counter.Add(3, new("code", "x"), new("model", "a\"b"));

        var text = await ScrapeAsync(app);
        var exported = Prometheus(name);
        Assert.Contains($"# TYPE {exported}_total counter\n", text);
        Assert.Contains($"# HELP {exported}_total Things counted.\n", text);
        Assert.Contains($"{exported}_total{{code=\"x\",model=\"a\\\"b\"}} 5\n", text);
    }

    [Fact]
    public async Task A_seconds_histogram_without_advice_gets_latency_buckets_and_counts_a_value_on_an_edge_in_that_bucket()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = NewOrbitMeter();
        var name = NewName();
        var histogram = meter.CreateHistogram<double>(name, unit: "s", description: "Test latency.");

        histogram.Record(0.1);
        histogram.Record(0.3);
        histogram.Record(70);

        var text = await ScrapeAsync(app);
        var exported = Prometheus(name) + "_seconds";
        Assert.Contains($"# TYPE {exported} histogram\n", text);
        Assert.Contains($"{exported}_bucket{{le=\"0.0005\"}} 0\n", text);
        Assert.Contains($"{exported}_bucket{{le=\"0.1\"}} 1\n", text);
        Assert.Contains($"{exported}_bucket{{le=\"0.5\"}} 2\n", text);
        Assert.Contains($"{exported}_bucket{{le=\"10\"}} 2\n", text);
        Assert.Contains($"{exported}_bucket{{le=\"+Inf\"}} 3\n", text);
        Assert.Contains($"{exported}_count{{}} 3\n", text);
    }

    [Fact]
    public async Task A_histogram_with_bucket_advice_keeps_its_own_buckets()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = NewOrbitMeter();
        var name = NewName();
        var histogram = meter.CreateHistogram<int>(name, unit: "{request}", description: "Test sizes.", tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4] });

        histogram.Record(3);

        var text = await ScrapeAsync(app);
        Assert.Contains($"{Prometheus(name)}_bucket{{le=\"4\"}} 1\n", text);
        Assert.DoesNotContain($"{Prometheus(name)}_bucket{{le=\"0.0005\"}}", text);
    }

    [Fact]
    public async Task An_observable_gauge_reports_its_current_value_at_each_scrape()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = NewOrbitMeter();
        var name = NewName();
        var depth = 4;
        meter.CreateObservableGauge(name, () => depth, description: "Test depth.");

        Assert.Matches($"\n{Prometheus(name)}(\\{{\\}})? 4\n", await ScrapeAsync(app));
        depth = 9;
        Assert.Matches($"\n{Prometheus(name)}(\\{{\\}})? 9\n", await ScrapeAsync(app));
    }

    [Fact]
    public async Task A_gauge_named_like_a_histogram_series_is_exported_as_current()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = NewOrbitMeter();
        var name = NewName() + ".count";
        meter.CreateObservableUpDownCounter(name, () => 3, description: "Test items.");

        var text = await ScrapeAsync(app);
        Assert.Contains($"# TYPE {Prometheus(name)}_current gauge\n", text);
        Assert.Contains("# TYPE dotnet_assembly_count_current gauge\n", text);
    }

    [Fact]
    public async Task Meters_outside_Orbit_and_the_platform_are_not_exported()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var meter = new Meter("Elsewhere." + Guid.NewGuid().ToString("N"));
        var name = NewName();
        meter.CreateCounter<long>(name, description: "Test elsewhere.").Add(1);

        Assert.DoesNotContain(Prometheus(name), await ScrapeAsync(app));
    }

    // Every instrument here has a description: another test's scrape in this process sees it, and promtool wants help text.
    private static Meter NewOrbitMeter() => new("Orbit.Tests." + Guid.NewGuid().ToString("N"));

    private static string NewName() => "orbit.test.m" + Guid.NewGuid().ToString("N")[..8];

    private static string Prometheus(string instrument) => instrument.Replace('.', '_');

    private static async Task<string> ScrapeAsync(WebApplication app)
    {
        using var client = app.GetTestClient();
        return await client.GetStringAsync("/metrics");
    }
}
