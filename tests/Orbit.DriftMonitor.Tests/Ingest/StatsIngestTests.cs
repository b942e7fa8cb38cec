using System.Net;
using System.Net.Http.Json;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Tests.Support;

namespace Orbit.DriftMonitor.Tests.Ingest;

public sealed class StatsIngestTests
{
    [Fact]
    public async Task Malformed_unknown_and_mismatched_messages_go_to_the_error_queue_with_their_reason_and_consumption_goes_on()
    {
        await using var monitor = new MonitorWithRegistry();
        var model = "bad-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var now = DateTimeOffset.UtcNow;

        await RabbitQueues.AppendAsync(monitor.Stream, "{not json");
        await StatsWindows.CommittedAsync(monitor, 1);
        await monitor.PublishAsync(StatsWindows.Window("admin", "no-such-model-" + monitor.Suffix, 1, now, StatsWindows.Like));
        await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now, [1, 2, 3]));
        await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now, StatsWindows.Like));
        await StatsWindows.CommittedAsync(monitor, 4);

        var rejected = await RabbitQueues.DrainAsync(monitor.ErrorQueue);
        var reasons = rejected.Select(m => m.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(3, reasons.Count);
        Assert.StartsWith("malformed", reasons[0]);
        Assert.Contains("no model", reasons[1]);
        Assert.Contains("binCounts has 3 counts", reasons[2]);
        Assert.Equal([0L, 1, 2], rejected.Select(m => m.GetProperty("offset").GetInt64()));

        await monitor.EvaluateAsync(now.AddSeconds(1));
        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal(300, view!.SampleSize);
        var metrics = await api.GetStringAsync("/metrics");
        Assert.Contains("orbit_drift_rejected_messages_total", metrics);
    }

    [Fact]
    public async Task A_version_without_a_baseline_is_unmapped_with_the_reason()
    {
        await using var monitor = new MonitorWithRegistry();
        var model = "plain-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, new { description = "no baseline" });
        monitor.Start();
        await monitor.PublishAsync(StatsWindows.Window("admin", model, version, DateTimeOffset.UtcNow, StatsWindows.Like));
        await StatsWindows.CommittedAsync(monitor, 1);

        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal("unmapped", view!.Status);
        Assert.Contains("no baseline", view.Reason);
    }

    [Fact]
    public async Task A_version_the_worker_could_not_map_is_unmapped_with_the_workers_reason()
    {
        await using var monitor = new MonitorWithRegistry();
        var model = "nomap-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var window = StatsWindows.Window("admin", model, version, DateTimeOffset.UtcNow, StatsWindows.Like) with
        {
            Features = new Dictionary<string, FeatureWindow>(),
            Unmapped = "feature 'x' is not an input and the model has no single 2-D input",
        };
        await monitor.PublishAsync(window);
        await StatsWindows.CommittedAsync(monitor, 1);

        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal("unmapped", view!.Status);
        Assert.Contains("no single 2-D input", view.Reason);
    }

    [Fact]
    public async Task A_restarted_monitor_resumes_from_its_committed_offset_and_a_replayed_window_counts_once()
    {
        await using var monitor = new MonitorWithRegistry();
        var model = "restart-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now, StatsWindows.Like, id: $"w-{i}"));
        }

        await StatsWindows.CommittedAsync(monitor, 5);
        await monitor.StopAsync();

        for (var i = 5; i < 8; i++)
        {
            await RabbitQueues.AppendAsync(monitor.Stream, StatsWindows.Window("admin", model, version, now, StatsWindows.Like, id: $"w-{i}"));
        }

        // A worker that retried its publish: the same window id again.
        await RabbitQueues.AppendAsync(monitor.Stream, StatsWindows.Window("admin", model, version, now, StatsWindows.Like, id: "w-3"));
        monitor.Start();
        await StatsWindows.CommittedAsync(monitor, 9);
        await monitor.EvaluateAsync(now.AddSeconds(1));

        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal(8 * 300, view!.SampleSize);
    }

    [Fact]
    public async Task Another_tenants_model_is_a_404_and_its_own_is_visible()
    {
        await using var monitor = new MonitorWithRegistry();
        var (tenant, key) = await monitor.TenantAsync();
        var (_, otherKey) = await monitor.TenantAsync();
        var model = "mine-" + monitor.Suffix;
        using var owner = monitor.RegistryAs(key);
        var version = await monitor.PushAsync(model, StatsWindows.Metadata(), owner);
        monitor.Start();
        var now = DateTimeOffset.UtcNow;
        await monitor.PublishAsync(StatsWindows.Window(tenant, model, version, now, StatsWindows.Like));
        await StatsWindows.CommittedAsync(monitor, 1);
        await monitor.EvaluateAsync(now.AddSeconds(1));

        using var mine = monitor.Client(key);
        using var other = monitor.Client(otherKey);
        using var anonymous = monitor.Client("not-a-key");
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/v1/drift/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/drift/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/drift/{model}/versions/{version}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/drift/{model}")).StatusCode);
        var bad = await mine.GetAsync($"/v1/drift/{model}/versions/abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("version", await bad.Content.ReadAsStringAsync());
        var all = await mine.GetFromJsonAsync<DriftModelView>($"/v1/drift/{model}");
        Assert.Equal(tenant, all!.TenantId);
        Assert.Equal(version, all.Versions.Single().ModelVersion);
    }
}
