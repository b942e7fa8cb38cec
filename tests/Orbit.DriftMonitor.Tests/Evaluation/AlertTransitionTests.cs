using System.Net.Http.Json;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Tests.Support;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Evaluation;

public sealed class AlertTransitionTests
{
    [Fact]
    public async Task A_scripted_sequence_of_windows_raises_warning_then_critical_then_clears_each_published_once()
    {
        await using var monitor = new MonitorWithRegistry(new() { ["Orbit:DriftMonitor:WindowSeconds"] = "5" });
        var model = "drift-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var detected = await RabbitQueues.ListenAsync<DriftDetected>();
        var cleared = await RabbitQueues.ListenAsync<DriftCleared>();

        long[][] script =
        [
            StatsWindows.Like, StatsWindows.Like, StatsWindows.Like,
            StatsWindows.Moderate, StatsWindows.Moderate, StatsWindows.Moderate,
            StatsWindows.Shifted, StatsWindows.Shifted, StatsWindows.Shifted,
            StatsWindows.Like, StatsWindows.Like, StatsWindows.Like,
        ];
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var statuses = new List<string>();
        using var api = monitor.Client();
        for (var i = 0; i < script.Length; i++)
        {
            var now = start.AddSeconds(10 * i);
            await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now.AddSeconds(-1), script[i]));
            await StatsWindows.CommittedAsync(monitor, i + 1);
            await monitor.EvaluateAsync(now);
            var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
            statuses.Add(view!.Status);
        }

        Assert.Equal(
            ["ok", "ok", "ok", "ok", "ok", "warning", "warning", "warning", "critical", "critical", "critical", "ok"],
            statuses);

        var final = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal(
            [("x", "ok", "warning"), ("x", "warning", "critical"), ("x", "critical", "ok")],
            final!.Alerts.Select(a => (a.Feature, a.From, a.To)));
        Assert.All(final.Alerts, a => Assert.Equal("psi", a.Metric));
        Assert.Equal(0.1, final.Alerts[0].Threshold);
        Assert.InRange(final.Alerts[0].Value, 0.1, 0.25);
        var x = final.Features.Single(f => f.Feature == "x");
        Assert.Equal(script.Length, x.Series.Count);
        Assert.Equal(10, x.Baseline.Counts!.Count);
        Assert.Equal("js", final.Features.Single(f => f.Feature == "plan").Test);

        var rises = await Eventually.GetAsync(async () => await RabbitQueues.TakeAsync(detected.Channel, detected.Queue) is { Count: > 0 } m ? m : null,
            TimeSpan.FromSeconds(10), "DriftDetected");
        await Task.Delay(500);
        rises.AddRange(await RabbitQueues.TakeAsync(detected.Channel, detected.Queue));
        var ours = rises.Where(m => m.GetProperty("modelName").GetString() == model).ToList();
        Assert.Equal(["Warning", "Critical"], ours.Select(m => m.GetProperty("level").GetString()));
        var falls = (await RabbitQueues.TakeAsync(cleared.Channel, cleared.Queue)).Where(m => m.GetProperty("modelName").GetString() == model).ToList();
        Assert.Single(falls);
        Assert.Equal("Ok", falls[0].GetProperty("level").GetString());
        await detected.Connection.DisposeAsync();
        await cleared.Connection.DisposeAsync();
    }

    [Fact]
    public async Task A_window_with_fewer_rows_than_the_minimum_is_insufficient_data_and_never_alerts()
    {
        await using var monitor = new MonitorWithRegistry(new() { ["Orbit:DriftMonitor:WindowSeconds"] = "5", ["Orbit:DriftMonitor:Consecutive"] = "1" });
        var model = "small-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var now = DateTimeOffset.UtcNow;
        await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now.AddSeconds(-1), [0, 0, 0, 0, 0, 0, 0, 0, 0, 100]));
        await StatsWindows.CommittedAsync(monitor, 1);
        await monitor.EvaluateAsync(now);

        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        Assert.Equal("insufficient_data", view!.Status);
        Assert.Equal(100, view.SampleSize);
        Assert.Empty(view.Alerts);
        Assert.True(view.Features.Single(f => f.Feature == "x").Value > 1, "the scores are still computed and shown");
    }
}
