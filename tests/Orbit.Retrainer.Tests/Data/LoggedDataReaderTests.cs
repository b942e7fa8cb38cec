using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Hosting.Streams;
using Orbit.Retrainer.Data;
using Orbit.Retrainer.Training;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Retrainer.Tests.Data;

/// <summary>The join of logged predictions with outcomes, read from real RabbitMQ streams (unique per test).</summary>
public sealed class LoggedDataReaderTests : IAsyncLifetime
{
    private readonly string _predictions = $"test.retrainer.predictions.{Guid.NewGuid():N}";
    private readonly string _outcomes = $"test.retrainer.outcomes.{Guid.NewGuid():N}";
    private readonly string _tenant = "t" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = TestInfrastructure.RabbitMqUrl,
        }).Build());
        services.AddLogging();
        services.AddOrbitStreams();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Logged_rows_join_their_outcomes_by_request_and_row_in_time_order()
    {
        var publisher = _services.GetRequiredService<IStreamPublisher>();
        var now = DateTimeOffset.UtcNow;
        string[] names = ["x0", "x1"];
        await publisher.PublishAsync(_predictions, new PredictionLogged("r2", _tenant, "churn", 1, names,
            [new LoggedRow([3, 4], [0.9]), new LoggedRow([5, 6], [0.1])], now.AddSeconds(-5)), default);
        await publisher.PublishAsync(_predictions, new PredictionLogged("r1", _tenant, "churn", 1, names,
            [new LoggedRow([1, 2], [0.2])], now.AddSeconds(-10)), default);
        await publisher.PublishAsync(_predictions, new PredictionLogged("old", _tenant, "churn", 1, names,
            [new LoggedRow([7, 7], [0.2])], now.AddHours(-3)), default);
        await publisher.PublishAsync(_predictions, new PredictionLogged("r1", _tenant, "other-model", 1, names,
            [new LoggedRow([9, 9], [0.2])], now), default);
        await publisher.PublishAsync(_outcomes, new OutcomeObserved("r2", _tenant, "churn", now, Row: 1, Label: "0"), default);
        await publisher.PublishAsync(_outcomes, new OutcomeObserved("r1", _tenant, "churn", now, Label: "1"), default);
        await publisher.PublishAsync(_outcomes, new OutcomeObserved("r2", _tenant, "churn", now, Row: 0, Label: "true"), default);
        await publisher.PublishAsync(_outcomes, new OutcomeObserved("nobody", _tenant, "churn", now, Label: "1"), default);
        await publisher.PublishAsync(_outcomes, new OutcomeObserved("old", _tenant, "churn", now, Label: "1"), default);

        var (data, next) = await Read(now.AddHours(-1), new StreamPositions(0, 0));

        Assert.Equal(LearningTask.BinaryClassification, data.Task);
        Assert.Equal(names, data.FeatureNames);
        Assert.Equal(["r1/0", "r2/0", "r2/1"], data.Examples.Select(e => $"{e.RequestId}/{e.Row}"));
        Assert.Equal([[1f, 2f], [3f, 4f], [5f, 6f]], data.Examples.Select(e => e.Features));
        Assert.Equal([1.0, 1.0, 0.0], data.Examples.Select(e => e.Label));
        Assert.Equal(2, data.Unmatched);
        Assert.Equal(new StreamPositions(0, 0), next);
    }

    [Fact]
    public async Task Batched_entries_as_the_workers_publish_them_join_by_each_requests_id_beside_per_request_entries()
    {
        var publisher = _services.GetRequiredService<IStreamPublisher>();
        var now = DateTimeOffset.UtcNow;
        string[] names = ["x0", "x1"];
        await publisher.PublishAsync(_predictions, new PredictionsLogged(_tenant, "churn", 1, names,
        [
            new LoggedRequest("b1", now.AddSeconds(-9), [new LoggedRow([1, 2], [0.2])]),
            new LoggedRequest("b2", now.AddSeconds(-8), [new LoggedRow([3, 4], [0.9]), new LoggedRow([5, 6], [0.1])]),
            new LoggedRequest("too-old", now.AddHours(-3), [new LoggedRow([7, 7], [0.2])]),
        ]), default);
        await publisher.PublishAsync(_predictions, new PredictionLogged("single", _tenant, "churn", 1, names, [new LoggedRow([8, 9], [0.4])], now.AddSeconds(-7)), default);
        await publisher.PublishAsync(_predictions, new PredictionsLogged(_tenant, "other-model", 1, names,
            [new LoggedRequest("b1", now, [new LoggedRow([0, 0], [0.5])])]), default);
        foreach (var (id, row, label) in new[] { ("b2", 1, "0"), ("b1", 0, "1"), ("b2", 0, "1"), ("single", 0, "0"), ("too-old", 0, "1") })
        {
            await publisher.PublishAsync(_outcomes, new OutcomeObserved(id, _tenant, "churn", now, Row: row, Label: label), default);
        }

        var (data, _) = await Read(now.AddHours(-1), new StreamPositions(0, 0));

        Assert.Equal(["b1/0", "b2/0", "b2/1", "single/0"], data.Examples.Select(e => $"{e.RequestId}/{e.Row}"));
        Assert.Equal([[1f, 2f], [3f, 4f], [5f, 6f], [8f, 9f]], data.Examples.Select(e => e.Features));
        Assert.Equal([1.0, 1.0, 0.0, 0.0], data.Examples.Select(e => e.Label));
        Assert.Equal(1, data.Unmatched);
        Assert.Equal(4, data.PredictionRows);
    }

    [Fact]
    public async Task An_empty_outcome_stream_gives_no_examples()
    {
        var publisher = _services.GetRequiredService<IStreamPublisher>();
        await publisher.PublishAsync(_predictions, new PredictionLogged("r1", _tenant, "churn", 1, ["x0"], [new LoggedRow([1], [0.2])], DateTimeOffset.UtcNow), default);

        var (data, _) = await Read(DateTimeOffset.UtcNow.AddHours(-1), new StreamPositions(0, 0));

        Assert.Empty(data.Examples);
        Assert.Equal(1, data.PredictionRows);
        Assert.Null(data.Task);
    }

    private Task<(LoggedData, StreamPositions)> Read(DateTimeOffset since, StreamPositions from) =>
        new LoggedDataReader(_services.GetRequiredService<IStreamReader>(), TimeProvider.System).ReadAsync(
            _tenant, "churn", since, null, "1", from,
            new DataSettings { PredictionsStream = _predictions, OutcomesStream = _outcomes, IdleMilliseconds = 1000 },
            CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(_predictions);
        await channel.QueueDeleteAsync(_outcomes);
    }
}
