using Microsoft.Extensions.Time.Testing;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Tests.Support;

namespace Orbit.InferenceWorker.Tests.Batching;

/// <summary>
/// The batcher waits its queue delay only when another request can join: on a fake clock that never
/// moves unless a test moves it, a request that completes proves it did not wait for the clock.
/// </summary>
public sealed class LoneRequestTests
{
    private static readonly BatchingOptions LongDelay = new(32, TimeSpan.FromSeconds(60), [], 1);

    [Fact]
    public async Task A_lone_request_runs_without_waiting_for_the_queue_delay()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var started = time.GetUtcNow();
        var batcher = harness.Batcher(LongDelay, time, new Arrivals()).Start();

        var request = harness.Request("x", new float[8], [1, 8], time: time);
        Assert.True(batcher.TryEnqueue(request));
        var outcome = await request.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(1, outcome.BatchSize);
        Assert.Equal(started, time.GetUtcNow());
        await batcher.DrainAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_request_waits_for_one_that_is_on_its_way_and_they_run_as_one_batch()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var arrivals = new Arrivals();
        var batcher = harness.Batcher(LongDelay, time, arrivals).Start();

        // Two received (a coalesced pair, say); the first is checked and queued while the second is still decoded.
        arrivals.Expect(2);
        var first = harness.Request("x", new float[8], [1, 8], time: time, expected: true);
        batcher.TryEnqueue(first);
        var second = harness.Request("x", new float[8], [1, 8], time: time, expected: true);
        batcher.TryEnqueue(second);
        var outcomes = await Task.WhenAll(first.Completion, second.Completion).WaitAsync(TimeSpan.FromSeconds(30));

        // Had the first run alone it would report a batch of 1.
        Assert.All(outcomes, o => Assert.Equal(2, o.BatchSize));
        Assert.Equal(1, harness.Statistics.BatchesRun);
        await batcher.DrainAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_request_expected_but_never_queued_holds_the_batch_only_for_the_queue_delay()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var arrivals = new Arrivals();
        var batcher = harness.Batcher(LongDelay, time, arrivals).Start();

        var started = time.GetUtcNow();
        arrivals.Expect(2);
        var first = harness.Request("x", new float[8], [1, 8], time: time, expected: true);
        batcher.TryEnqueue(first);

        // The clock has not moved and the second is still expected: the first keeps waiting.
        Assert.False(first.Completion.IsCompleted);
        for (var step = 0; step < 1000 && !first.Completion.IsCompleted; step++)
        {
            // Moved in steps: the batcher may arm its timer just after one step.
            time.Advance(LongDelay.MaxQueueDelay);
            await Task.Delay(10);
        }

        var outcome = await first.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(1, outcome.BatchSize);
        Assert.True(time.GetUtcNow() - started >= LongDelay.MaxQueueDelay);
        Assert.Equal(1, arrivals.Expected);
        await batcher.DrainAsync(CancellationToken.None);
    }
}
