using System.Net.Http.Json;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Tests.Support;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Accuracy;

public sealed class AccuracyTests
{
    [Fact]
    public async Task Outcomes_joined_with_logged_predictions_give_rolling_accuracy_and_a_degraded_alert_and_unknown_ids_are_counted()
    {
        await using var monitor = new MonitorWithRegistry(new()
        {
            ["Orbit:DriftMonitor:Consecutive"] = "1",
            ["Orbit:DriftMonitor:AccuracyMinSamples"] = "50",
            ["Orbit:DriftMonitor:PendingOutcomeSeconds"] = "5",
        });
        var model = "acc-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, new { metrics = new { accuracy = 0.9 } });
        monitor.Start();
        var degraded = await RabbitQueues.ListenAsync<AccuracyDegraded>();
        var windows = await RabbitQueues.ListenAsync<AccuracyWindowObserved>();
        var start = DateTimeOffset.UtcNow;

        // An outcome for a request that is never logged, and one that arrives before its prediction.
        await monitor.PublishAsync(monitor.OutcomesStream, new OutcomeObserved("ghost", "admin", model, start, Label: "yes"));
        await monitor.PublishAsync(monitor.OutcomesStream, new OutcomeObserved("r-100", "admin", model, start, Label: "yes"));
        await StatsWindows.CommittedAsync(monitor, 2, monitor.OutcomesStream);
        // The first 50 as one batched entry, as the workers publish them; the rest one entry per request, as older
        // workers did and other publishers may: the join reads both.
        await monitor.PublishAsync(monitor.PredictionsStream, new PredictionsLogged("admin", model, version, ["x"],
            [.. Enumerable.Range(0, 50).Select(i => new LoggedRequest($"r-{i}", start, [new LoggedRow([1.0], [0.2, 0.8], "yes")]))]));
        for (var i = 50; i <= 100; i++)
        {
            await monitor.PublishAsync(monitor.PredictionsStream, new PredictionLogged(
                $"r-{i}", "admin", model, version, ["x"], [new LoggedRow([1.0], [0.2, 0.8], "yes")], start));
        }

        for (var i = 0; i < 100; i++)
        {
            await monitor.PublishAsync(monitor.OutcomesStream, new OutcomeObserved($"r-{i}", "admin", model, start, Label: i < 60 ? "yes" : "no"));
        }

        await StatsWindows.CommittedAsync(monitor, 52, monitor.PredictionsStream);
        await StatsWindows.CommittedAsync(monitor, 102, monitor.OutcomesStream);
        await monitor.EvaluateAsync(start.AddSeconds(1));

        using var api = monitor.Client();
        var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
        var accuracy = view!.Accuracy!;
        Assert.Equal("accuracy", accuracy.Metric);
        Assert.Equal(101, accuracy.SampleSize);
        Assert.Equal(61.0 / 101, accuracy.Value!.Value, 12);
        Assert.Equal(0.9, accuracy.Expected);
        Assert.Equal("critical", accuracy.Level);
        Assert.Contains(view.Alerts, a => a.Feature == "__accuracy__" && a.To == "critical");

        var events = await Eventually.GetAsync(async () => (await RabbitQueues.TakeAsync(degraded.Channel, degraded.Queue))
            .Where(m => m.GetProperty("modelName").GetString() == model).ToList() is { Count: > 0 } found ? found : null,
            TimeSpan.FromSeconds(10), "AccuracyDegraded");
        Assert.Single(events);
        Assert.Equal("Critical", events[0].GetProperty("level").GetString());
        await degraded.Connection.DisposeAsync();

        var before = await api.GetFromJsonAsync<DriftModelView>($"/v1/drift/{model}");
        Assert.Equal(1, before!.PendingOutcomes);
        var first = Assert.Single(before.Versions.Single().AccuracySeries!.Points);
        Assert.Equal((start.AddSeconds(1).ToUnixTimeMilliseconds(), 61.0 / 101, "critical", 101L), (first.At!.Value.ToUnixTimeMilliseconds(), first.Value!.Value, first.Level, first.SampleSize));
        var later = DateTimeOffset.UtcNow.AddSeconds(10);
        await monitor.EvaluateAsync(later);
        var after = await api.GetFromJsonAsync<DriftModelView>($"/v1/drift/{model}");
        Assert.Equal(1, after!.UnknownOutcomes);
        Assert.Equal(0, after.PendingOutcomes);

        // Accuracy over time: one point per pass, oldest first, with the relative levels that alert.
        var series = after.Versions.Single().AccuracySeries!;
        Assert.Equal((0.05, 0.10), (series.Warning, series.Critical));
        Assert.Equal([start.AddSeconds(1).ToUnixTimeMilliseconds(), later.ToUnixTimeMilliseconds()], series.Points.Select(p => p.At!.Value.ToUnixTimeMilliseconds()));

        // Every joined outcome reaches the rollout controller's evidence once, whichever pass published it.
        var published = new List<System.Text.Json.JsonElement>();
        await Eventually.GetAsync(async () =>
        {
            published.AddRange((await RabbitQueues.TakeAsync(windows.Channel, windows.Queue)).Where(m => m.GetProperty("modelName").GetString() == model));
            return published.Sum(w => w.GetProperty("labelled").GetInt64()) >= 101 ? "all" : null;
        }, TimeSpan.FromSeconds(10), "accuracy windows for every joined outcome");
        Assert.Equal((101L, 61L), (published.Sum(w => w.GetProperty("labelled").GetInt64()), published.Sum(w => w.GetProperty("correct").GetInt64())));
        await windows.Connection.DisposeAsync();
    }
}
