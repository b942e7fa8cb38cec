using System.Diagnostics.Metrics;
using Orbit.Hosting.Metrics;

namespace Orbit.Hosting.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void A_counter_is_rendered_with_total_suffix_and_sorted_escaped_labels()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter("Orbit.Tests." + Guid.NewGuid().ToString("N"));
        var name = "orbit_test_" + Guid.NewGuid().ToString("N")[..8];
        var counter = meter.CreateCounter<long>(name, description: "Things counted.");

        counter.Add(2, new("model", "a\"b"), new("code", "x"));
        counter.Add(3, new("code", "x"), new("model", "a\"b"));

        var text = exporter.Render();
        Assert.Contains($"# TYPE {name}_total counter", text);
        Assert.Contains($"# HELP {name}_total Things counted.", text);
        Assert.Contains($"{name}_total{{code=\"x\",model=\"a\\\"b\"}} 5\n", text);
    }

    [Fact]
    public void A_histogram_counts_a_value_on_a_bucket_edge_in_that_bucket_and_accumulates()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter("Orbit.Tests." + Guid.NewGuid().ToString("N"));
        var name = "orbit_test_" + Guid.NewGuid().ToString("N")[..8];
        var histogram = meter.CreateHistogram<double>(name, unit: "s", description: null,
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        histogram.Record(0.1);
        histogram.Record(0.5);
        histogram.Record(7);

        var text = exporter.Render();
        Assert.Contains($"# TYPE {name}_seconds histogram", text);
        Assert.Contains($"{name}_seconds_bucket{{le=\"0.1\"}} 1\n", text);
        Assert.Contains($"{name}_seconds_bucket{{le=\"1\"}} 2\n", text);
        Assert.Contains($"{name}_seconds_bucket{{le=\"+Inf\"}} 3\n", text);
        Assert.Contains($"{name}_seconds_sum 7.6\n", text);
        Assert.Contains($"{name}_seconds_count 3\n", text);
    }

    [Fact]
    public void An_observable_gauge_reports_its_current_value_at_scrape_time()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter("Orbit.Tests." + Guid.NewGuid().ToString("N"));
        var name = "orbit_test_" + Guid.NewGuid().ToString("N")[..8];
        var depth = 4;
        meter.CreateObservableGauge(name, () => depth);

        Assert.Contains($"{name} 4\n", exporter.Render());
        depth = 9;
        Assert.Contains($"{name} 9\n", exporter.Render());
    }

    [Theory]
    [InlineData("dotnet.assembly.count", null, false, "dotnet_assembly_count_current")]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("orbit_bus_messages_consumed", null, true, "orbit_bus_messages_consumed_total")]
    [InlineData("9lives-metric", "By", false, "_lives_metric_bytes")]
    public void Instrument_names_become_valid_Prometheus_names(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(instrument, unit, counter));
}
