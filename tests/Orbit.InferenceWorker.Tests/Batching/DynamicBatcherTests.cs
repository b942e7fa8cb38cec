using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Tests.Support;

namespace Orbit.InferenceWorker.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static float[] RandomRows(Random random, long rows, int columns) =>
        Enumerable.Range(0, (int)rows * columns).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

    [Fact]
    public async Task Batched_results_equal_running_each_request_alone_bit_for_bit()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var random = new Random(11);
        var inputs = Enumerable.Range(0, 8).Select(i => RandomRows(random, 1 + (i % 3), 8)).ToList();
        var batcher = harness.Batcher(maxBatchSize: 64);
        var requests = inputs.Select(x => harness.Request("x", x, [x.Length / 8, 8])).ToList();
        requests.ForEach(r => Assert.True(batcher.TryEnqueue(r)));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion));

        for (var i = 0; i < inputs.Count; i++)
        {
            var outcome = outcomes[i];
            Assert.True(outcome.Succeeded, outcome.Detail);
            Assert.Equal(8, outcome.BatchSize);
            var y = Assert.Single(outcome.Outputs!);
            Assert.Equal("y", y.Name);
            Assert.Equal("FP32", y.Datatype);
            Assert.Equal(new long[] { inputs[i].Length / 8, 3 }, y.Shape);
            Assert.Equal(harness.RunDirect(inputs[i], [inputs[i].Length / 8, 8]), y.RawData);
        }

        Assert.Equal(1, harness.Statistics.BatchesRun);
    }

    [Fact]
    public async Task A_batch_holds_at_most_MaxBatchSize_rows()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var random = new Random(3);
        var batcher = harness.Batcher(maxBatchSize: 4);
        var requests = Enumerable.Range(0, 6).Select(_ => harness.Request("x", RandomRows(random, 1, 8), [1, 8])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion));

        Assert.Equal(new[] { 4, 4, 4, 4, 2, 2 }, outcomes.Select(o => o.BatchSize));
        Assert.Equal(2, harness.Statistics.BatchesRun);
    }

    [Fact]
    public async Task A_batch_runs_as_soon_as_it_reaches_a_preferred_size()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var random = new Random(5);
        // A long queue delay: only the preferred size (or the full batch) can start a batch early.
        var batcher = harness.Batcher(maxBatchSize: 8, maxQueueDelayMicroseconds: 60_000_000, concurrency: 1, 2);
        var requests = Enumerable.Range(0, 4).Select(_ => harness.Request("x", RandomRows(random, 1, 8), [1, 8])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(outcomes, o => Assert.Equal(2, o.BatchSize));
    }

    [Fact]
    public async Task Requests_whose_non_batch_dimensions_differ_are_not_merged()
    {
        using var harness = new BatchingHarness(TestModels.Doubler());
        var random = new Random(1);
        var batcher = harness.Batcher(maxBatchSize: 32);
        var widths = new[] { 4, 5, 4, 5, 4 };
        var inputs = widths.Select(w => RandomRows(random, 1, w)).ToList();
        var requests = inputs.Select((x, i) => harness.Request("x", x, [1, widths[i]])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion));

        Assert.Equal(new[] { 3, 2, 3, 2, 3 }, outcomes.Select(o => o.BatchSize));
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(harness.RunDirect(inputs[i], [1, widths[i]]), outcomes[i].Outputs![0].RawData);
        }
    }

    [Fact]
    public async Task A_request_past_its_deadline_is_not_run()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var random = new Random(2);
        var batcher = harness.Batcher();
        var expired = harness.Request("x", RandomRows(random, 1, 8), [1, 8], deadline: DateTimeOffset.UtcNow.AddSeconds(-1));
        var live = harness.Request("x", RandomRows(random, 1, 8), [1, 8], deadline: DateTimeOffset.UtcNow.AddMinutes(5));
        batcher.TryEnqueue(expired);
        batcher.TryEnqueue(live);

        batcher.Start();
        var dropped = await expired.Completion;
        var ran = await live.Completion;

        Assert.Equal(RejectionReason.DeadlineExceeded, dropped.Reason);
        Assert.Null(dropped.Outputs);
        Assert.True(ran.Succeeded);
        Assert.Equal(1, ran.BatchSize);
        Assert.Equal(1, harness.Statistics.RequestsBatched);
    }

    [Fact]
    public async Task When_a_batch_fails_only_the_request_ONNX_Runtime_refuses_fails()
    {
        using var harness = new BatchingHarness(TestModels.Lookup());
        var batcher = harness.Batcher();
        long[] indices = [0, 3, 9, 2];
        var requests = indices.Select(i => harness.Request("i", new[] { i }, [1, 1])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion));

        var failed = outcomes[2];
        Assert.Equal(RejectionReason.ModelError, failed.Reason);
        Assert.Contains("Gather", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("indices", failed.Detail, StringComparison.OrdinalIgnoreCase);
        foreach (var i in new[] { 0, 1, 3 })
        {
            Assert.True(outcomes[i].Succeeded, outcomes[i].Detail);
            Assert.Equal(1, outcomes[i].BatchSize);
            Assert.Equal(harness.RunDirect(new[] { indices[i] }, [1, 1]), outcomes[i].Outputs![0].RawData);
        }
    }

    [Fact]
    public async Task A_model_with_a_fixed_first_dimension_runs_each_request_alone()
    {
        using var harness = new BatchingHarness(TestModels.Mlp(fixedBatch: true));
        Assert.False(harness.Model.CanBatch);
        var random = new Random(4);
        var batcher = harness.Batcher(maxBatchSize: 32);
        var inputs = Enumerable.Range(0, 3).Select(_ => RandomRows(random, 1, 8)).ToList();
        var requests = inputs.Select(x => harness.Request("x", x, [1, 8])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion));

        Assert.All(outcomes, o => Assert.Equal(1, o.BatchSize));
        Assert.Equal(3, harness.Statistics.BatchesRun);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(harness.RunDirect(inputs[i], [1, 8]), outcomes[i].Outputs![0].RawData);
        }
    }

    [Fact]
    public async Task Only_the_requested_outputs_are_returned()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var batcher = harness.Batcher();
        var request = harness.Request("x", new float[8], [1, 8], outputs: []);
        batcher.TryEnqueue(request);

        batcher.Start();
        var outcome = await request.Completion;

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.Outputs!);
    }

    [Fact]
    public async Task Stopping_before_a_request_could_run_answers_it_ShuttingDown()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        var batcher = harness.Batcher();
        var queued = harness.Request("x", new float[8], [1, 8]);
        batcher.TryEnqueue(queued);

        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        await batcher.DrainAsync(expired.Token);

        Assert.Equal(RejectionReason.ShuttingDown, (await queued.Completion).Reason);
        Assert.False(batcher.TryEnqueue(harness.Request("x", new float[8], [1, 8])));
    }

    [Fact]
    public async Task Draining_runs_what_is_queued_without_waiting_for_the_queue_delay()
    {
        using var harness = new BatchingHarness(TestModels.Mlp());
        // One more request is on its way and the delay is long: only draining can start this batch.
        var arrivals = new Arrivals();
        arrivals.Expect(1);
        var batcher = harness.Batcher(new BatchingOptions(32, TimeSpan.FromSeconds(60), [], 1), TimeProvider.System, arrivals);
        var requests = Enumerable.Range(0, 3).Select(_ => harness.Request("x", new float[8], [1, 8])).ToList();
        requests.ForEach(r => batcher.TryEnqueue(r));
        batcher.Start();

        await batcher.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(await Task.WhenAll(requests.Select(r => r.Completion)), o => Assert.Equal(3, o.BatchSize));
    }
}
