using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Streams;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Testing;
using RabbitMQ.Client;
using static Orbit.InferenceWorker.Tests.Statistics.StatisticsTestData;

namespace Orbit.InferenceWorker.Tests.Statistics;

/// <summary>The real registry and worker in process: served traffic comes out on the stats and prediction streams of the real broker.</summary>
public sealed class StatisticsStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly double[] Edges = [-0.5, 0, 0.5];

    private readonly string _stats = $"test.stats.{Guid.NewGuid():N}";
    private readonly string _predictions = $"test.predictions.{Guid.NewGuid():N}";
    private readonly WorkerWithRegistry _platform = new();
    private ServiceProvider _streams = null!;

    public Task InitializeAsync()
    {
        _platform.WorkerSettings["Orbit:Worker:Statistics:StatsStream"] = _stats;
        _platform.WorkerSettings["Orbit:Worker:Statistics:PredictionsStream"] = _predictions;
        _platform.WorkerSettings["Orbit:Worker:Statistics:WindowSeconds"] = "1";
        _platform.WorkerSettings["Orbit:Worker:Statistics:PredictionLogSampleRate"] = "0";
        _streams = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Orbit:RabbitMq:Url"] = TestInfrastructure.RabbitMqUrl }).Build())
            .AddLogging()
            .AddOrbitStreams()
            .BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Served_rows_of_a_version_with_a_baseline_come_out_as_windows_and_a_request_that_asks_is_logged()
    {
        var model = $"stats-{Guid.NewGuid():N}"[..16];
        var features = string.Join(",", Enumerable.Range(0, 8).Select(i => $$"""{"name":"f{{i}}","type":"numeric"}"""));
        var version = await _platform.PushAsync(model, TestModels.Mlp(), $$"""
            {
              "features": [{{features}}],
              "classes": ["a", "b", "c"],
              "baseline": {
                "features": { "f0": { "binEdges": [-0.5, 0, 0.5], "counts": [1, 1, 1, 1] }, "f3": { "binEdges": [-0.5, 0, 0.5], "counts": [1, 1, 1, 1] } },
                "predictions": { "frequencies": { "a": 1, "b": 1, "c": 1 } }
              }
            }
            """);
        await _platform.DeployAsync(model, version);
        _platform.StartWorker(model);
        await _platform.WaitForServingAsync(model, version);

        var sent = new List<float[]>();
        for (var i = 0; i < 5; i++)
        {
            var x = Enumerable.Range(0, 16).Select(j => (float)Math.Sin(i * 16 + j)).ToArray();
            sent.Add(x);
            var parameters = i is 2 or 4 ? new Dictionary<string, string> { ["log_prediction"] = "true", ["request_id"] = $"client-{i}" } : null;
            // Binary rawData, and once JSON data (as a publisher in another language sends it): both are summarised.
            var input = i == 4
                ? new InferenceTensor("x", "FP32", [2, 8], Data: Json($"[{string.Join(",", x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]"))
                : Floats("x", [2, 8], x);
            var (completed, rejected) = await _platform.InferAsync(new InferenceRequested(
                Guid.NewGuid().ToString("N"), "admin", model, version, [input], DateTimeOffset.UtcNow.AddSeconds(30), Parameters: parameters));
            Assert.Null(rejected);
            Assert.NotNull(completed);
        }

        var windows = await ReadWindowsAsync(model, rows: 10);

        Assert.All(windows, w => Assert.Equal(_platform.WorkerId, w.WorkerId));
        Assert.Equal(windows.Count, windows.Select(w => w.WindowId).Distinct().Count());
        Assert.All(windows, w => Assert.Equal(["f0", "f3"], w.Features.Keys.Order()));
        foreach (var (feature, column) in new[] { ("f0", 0), ("f3", 3) })
        {
            var values = sent.SelectMany(x => new[] { x[column], x[8 + column] }).ToList();
            var expected = Enumerable.Range(0, 4).Select(bin => (long)values.Count(v => Bin(v) == bin));
            Assert.Equal(expected, Sum(windows.Select(w => w.Features[feature].BinCounts!)));
            Assert.Equal(values.Sum(v => (double)v), windows.Sum(w => w.Features[feature].Sum), 6);
        }

        var classes = windows.Select(w => w.Predictions!.Categories!).SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        Assert.Equal(10, classes.Values.Sum());
        Assert.Equal(["a", "b", "c"], classes.Keys.Order());

        // Logged in batched entries (one per version and collection pass), read back as the retrainer and the drift monitor read them.
        var logged = new List<PredictionLogged>();
        foreach (var record in await ReadAsync<PredictionLogEntry>(_predictions, e => e.TryExpand(out var requests, out _) ? requests.Count : 0, 2))
        {
            Assert.True(record.Message!.TryExpand(out var requests, out var error), error);
            logged.AddRange(requests);
        }

        Assert.Equal(["client-2", "client-4"], logged.Select(e => e.RequestId).Order());
        foreach (var entry in logged)
        {
            var x = sent[entry.RequestId == "client-2" ? 2 : 4];
            Assert.Equal(model, entry.ModelName);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"f{i}"), entry.FeatureNames);
            // FP32 values are logged in float32's shortest form: read back as float32 they are exactly what was served.
            Assert.Equal(x[..8], entry.Rows[0].Features.Select(v => (float)v));
            Assert.Equal(x[8..], entry.Rows[1].Features.Select(v => (float)v));
            Assert.Equal(3, entry.Rows[1].Prediction.Count);
            Assert.Contains(entry.Rows[1].Label, new[] { "a", "b", "c" });
        }
    }

    [Fact]
    public async Task A_version_whose_features_cannot_be_mapped_is_served_and_its_windows_carry_the_reason()
    {
        var model = $"unmapped-{Guid.NewGuid():N}"[..18];
        var version = await _platform.PushAsync(model, TestModels.Lookup(), """
            {
              "features": [ { "name": "age", "type": "numeric" }, { "name": "plan", "type": "numeric" } ],
              "baseline": { "features": { "age": { "binEdges": [1], "counts": [1, 1] } } }
            }
            """);
        await _platform.DeployAsync(model, version);
        _platform.StartWorker(model);
        await _platform.WaitForServingAsync(model, version);

        var (completed, _) = await _platform.InferAsync(new InferenceRequested(
            Guid.NewGuid().ToString("N"), "admin", model, version,
            [new InferenceTensor("i", "INT64", [3, 1], RawData: [.. new long[] { 0, 1, 2 }.SelectMany(BitConverter.GetBytes)])],
            DateTimeOffset.UtcNow.AddSeconds(30)));
        Assert.NotNull(completed);

        var window = Assert.Single(await ReadWindowsAsync(model, rows: 3));
        Assert.Empty(window.Features);
        Assert.Contains("feature 'plan' is feature 2 of 2, but input 'i' has 1 columns", window.Unmapped);
    }

    private static int Bin(double value) => Edges.Count(e => e <= value);

    private static IEnumerable<long> Sum(IEnumerable<IReadOnlyList<long>> counts) =>
        counts.Aggregate(new long[4], (total, c) => [.. total.Zip(c, (a, b) => a + b)]);

    private async Task<List<FeatureStatsObserved>> ReadWindowsAsync(string model, long rows)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var windows = new List<FeatureStatsObserved>();
        await foreach (var record in _streams.GetRequiredService<IStreamReader>().ReadAsync<FeatureStatsObserved>(_stats, 0, timeout.Token))
        {
            Assert.Null(record.Error);
            if (record.Message!.ModelName == model)
            {
                windows.Add(record.Message);
            }

            if (windows.Sum(w => w.Rows) >= rows)
            {
                break;
            }
        }

        Assert.Equal(rows, windows.Sum(w => w.Rows));
        return windows;
    }

    /// <summary>Records from the start of the stream until they hold <paramref name="count"/> of what <paramref name="size"/> counts.</summary>
    private async Task<List<StreamRecord<T>>> ReadAsync<T>(string stream, Func<T, int> size, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var records = new List<StreamRecord<T>>();
        var held = 0;
        await foreach (var record in _streams.GetRequiredService<IStreamReader>().ReadAsync<T>(stream, 0, timeout.Token))
        {
            Assert.Null(record.Error);
            records.Add(record);
            held += size(record.Message!);
            if (held >= count)
            {
                break;
            }
        }

        return records;
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        await _streams.DisposeAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(_stats);
        await channel.QueueDeleteAsync(_predictions);
    }
}
