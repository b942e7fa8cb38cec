using Microsoft.Extensions.Options;
using Orbit.Contracts.Predictions;
using Orbit.Gateway.Predictions;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Predictions;

/// <summary>The prediction records in the real Redis, each test in a tenant of its own.</summary>
public sealed class PredictionStoreTests : IAsyncLifetime
{
    private readonly string _tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer _redis = null!;
    private PredictionStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        _store = new PredictionStore(_redis, Options.Create(new PredictionOptions { ResultTtlHours = 1 }));
    }

    [Fact]
    public async Task Submits_racing_with_one_key_create_one_prediction()
    {
        var now = DateTimeOffset.UtcNow;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _store.CreateAsync(_tenant, "order-1", $"pred_{i}", "churn", null, "order-1", now)));

        var created = Assert.Single(outcomes, o => o.Created);
        var winner = outcomes.ToList().IndexOf(created);
        Assert.All(outcomes.Where(o => !o.Created), o => Assert.Equal($"pred_{winner}", o.Existing!.Id));
    }

    [Fact]
    public async Task The_first_result_stands_and_a_second_changes_nothing()
    {
        await _store.CreateAsync(_tenant, null, "pred_a", "churn", null, null, DateTimeOffset.UtcNow);

        var first = await _store.CompleteAsync(_tenant, "pred_a", 2, "{\"outputs\":[]}"u8.ToArray(), DateTimeOffset.UtcNow);
        var second = await _store.FailAsync(_tenant, "pred_a", 2, PredictionFailureReasons.ModelError, "late", DateTimeOffset.UtcNow);
        var missing = await _store.CompleteAsync(_tenant, "pred_none", 2, [], DateTimeOffset.UtcNow);
        var stored = await _store.GetAsync(_tenant, "pred_a");

        Assert.Equal((1, 0, -1), (first, second, missing));
        Assert.Equal((PredictionStates.Completed, 2), (stored!.Status, stored.Version));
        Assert.Null(await _store.GetAsync("another-tenant", "pred_a"));
    }

    [Fact]
    public async Task A_prediction_taken_back_frees_its_key()
    {
        await _store.CreateAsync(_tenant, "k", "pred_1", "churn", null, null, DateTimeOffset.UtcNow);

        await _store.ForgetAsync(_tenant, "k", "pred_1");
        var again = await _store.CreateAsync(_tenant, "k", "pred_2", "churn", null, null, DateTimeOffset.UtcNow);

        Assert.True(again.Created);
        Assert.Null(await _store.GetAsync(_tenant, "pred_1"));
    }

    public async Task DisposeAsync()
    {
        var server = _redis.GetServers()[0];
        var db = _redis.GetDatabase();
        foreach (var pattern in new[] { $"orbit:predictions:{_tenant}:*", $"orbit:prediction-keys:{_tenant}:*" })
        {
            await foreach (var key in server.KeysAsync(db.Database, pattern))
            {
                await db.KeyDeleteAsync(key);
            }
        }

        await _redis.DisposeAsync();
    }
}
