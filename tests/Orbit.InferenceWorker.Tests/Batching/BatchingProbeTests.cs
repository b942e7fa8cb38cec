using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Sessions;

namespace Orbit.InferenceWorker.Tests.Batching;

/// <summary>A model is batched only if merged and one-by-one runs agree on synthetic rows at load time.</summary>
public sealed class BatchingProbeTests
{
    [Fact]
    public void A_model_that_mixes_rows_is_found_out_at_load_and_the_reason_names_the_output()
    {
        using var session = OnnxSession.FromBytes(TestModels.RowMixing());

        var verdict = BatchingProbe.Check(session);

        Assert.False(verdict.CanBatch);
        Assert.Contains("output 'y' differs", verdict.Reason);
        Assert.Contains("does not treat rows independently", verdict.Reason);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("doubler")]
    [InlineData("lookup")]
    public void Models_that_treat_rows_independently_are_batched(string name)
    {
        using var session = OnnxSession.FromBytes(name switch
        {
            "mlp" => TestModels.Mlp(),
            "doubler" => TestModels.Doubler(),
            _ => TestModels.Lookup(),
        });

        var verdict = BatchingProbe.Check(session);

        Assert.True(verdict.CanBatch, verdict.Reason);
    }

    [Fact]
    public void A_model_with_a_fixed_first_dimension_is_not_batched_and_says_so()
    {
        using var session = OnnxSession.FromBytes(TestModels.Mlp(fixedBatch: true));

        var verdict = BatchingProbe.Check(session);

        Assert.False(verdict.CanBatch);
        Assert.Contains("fixed", verdict.Reason);
    }

    [Fact]
    public async Task Concurrent_requests_for_a_model_that_mixes_rows_run_one_by_one_and_get_their_own_answers()
    {
        using var harness = new BatchingHarness(TestModels.RowMixing());
        var batcher = harness.Batcher(maxBatchSize: 32);
        var requests = Enumerable.Range(0, 3)
            .Select(i => harness.Request("x", new[] { 1f + i, 2f * i, -3f, 4f + i }, [1, 4]))
            .ToList();
        foreach (var request in requests)
        {
            Assert.True(batcher.TryEnqueue(request));
        }

        batcher.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion)).WaitAsync(TimeSpan.FromMinutes(1));
        await batcher.DrainAsync(CancellationToken.None);

        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Succeeded, outcome.Detail);
            Assert.Equal(1, outcome.BatchSize);
            // Alone, a row minus the mean of itself is zero.
            Assert.All(Floats(outcome.Outputs![0].RawData!), v => Assert.Equal(0f, v));
        }
    }

    private static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
