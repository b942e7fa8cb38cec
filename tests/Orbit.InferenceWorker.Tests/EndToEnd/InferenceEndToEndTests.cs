using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tests.EndToEnd;

/// <summary>The real registry and worker in process: push, deploy, infer over RabbitMQ, compare with a direct run.</summary>
public sealed class InferenceEndToEndTests
{
    private static string UniqueModel() => $"mlp-{Guid.NewGuid():N}"[..16];

    private static InferenceRequested Request(string model, int? version, float[] x, long rows) => new(
        Guid.NewGuid().ToString("N"), "admin", model, version,
        [new InferenceTensor("x", "FP32", [rows, 8], RawData: MemoryMarshal.AsBytes(x.AsSpan()).ToArray())],
        DateTimeOffset.UtcNow.AddSeconds(30));

    [Fact]
    public async Task A_model_deployed_before_the_worker_starts_is_found_in_Redis_and_served()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var onnx = TestModels.Mlp();
        var version = await platform.PushAsync(model, onnx);
        await platform.DeployAsync(model, version);

        platform.StartWorker(model);
        var heartbeat = await platform.WaitForServingAsync(model, version);

        var x = TestModels.MlpRows(1, 2);
        var (completed, rejected) = await platform.InferAsync(Request(model, version, x, 2));

        Assert.Null(rejected);
        Assert.NotNull(completed);
        Assert.Equal(version, completed.ModelVersion);
        Assert.Equal(platform.WorkerId, completed.WorkerId);
        var y = Assert.Single(completed.Outputs);
        Assert.Equal("FP32", y.Datatype);
        Assert.Equal(new long[] { 2, 3 }, y.Shape);
        Assert.Equal(TestModels.RunMlp(onnx, x, 2), y.RawData);

        Assert.Equal("cpu", heartbeat.Device);
        Assert.Equal("cpu", heartbeat.Provider);
        var loaded = Assert.Single(heartbeat.LoadedModels);
        Assert.Equal(onnx, platform.ArtifactOnDisk(loaded.Digest));

        using var worker = platform.WorkerClient();
        var metrics = await worker.GetStringAsync("/metrics");
        Assert.Contains("orbit_inference_request_duration_seconds_bucket{", metrics);
        Assert.Contains("orbit_inference_compute_duration_seconds_count{", metrics);
        Assert.Contains("orbit_inference_queue_duration_seconds_count{", metrics);
        Assert.Contains("orbit_inference_batch_size_bucket{", metrics);
        Assert.Contains($"model=\"{model}\"", metrics);

        // A graceful stop removes the heartbeat at once, so the gateway stops routing here.
        Assert.True(await platform.HeartbeatKeyExistsAsync());
        await platform.StopWorkerAsync();
        Assert.False(await platform.HeartbeatKeyExistsAsync());
    }

    [Fact]
    public async Task A_deployment_made_while_the_worker_runs_is_served_and_an_undeployment_stops_it()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var onnx = TestModels.Mlp();
        platform.StartWorker(model);
        await platform.HeartbeatAsync();
        var version = await platform.PushAsync(model, onnx);
        await platform.DeployAsync(model, version);
        await platform.WaitForServingAsync(model, version);

        // Concurrent requests: the batcher may merge them; each answer must equal its own direct run.
        var inputs = Enumerable.Range(0, 12).Select(i => TestModels.MlpRows(i, 1 + (i % 3))).ToList();
        var answers = await Task.WhenAll(inputs.Select(x => platform.InferAsync(Request(model, version, x, x.Length / 8))));
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Null(answers[i].Rejected);
            Assert.Equal(TestModels.RunMlp(onnx, inputs[i], inputs[i].Length / 8), answers[i].Completed!.Outputs[0].RawData);
        }

        var (_, notDeployed) = await platform.InferAsync(Request(model, version + 1, TestModels.MlpRows(0, 1), 1));
        Assert.Equal(RejectionReason.ModelNotDeployed, notDeployed!.Reason);

        await platform.UndeployAsync(model);
        await platform.WaitForServingAsync(model, version, serving: false);
    }

    [Fact]
    public async Task A_model_that_mixes_rows_and_a_version_that_forbids_batching_are_served_unbatched_and_the_heartbeat_says_why()
    {
        await using var platform = new WorkerWithRegistry();
        var mixing = UniqueModel();
        var forbidden = UniqueModel();
        var mixingVersion = await platform.PushAsync(mixing, TestModels.RowMixing());
        var forbiddenVersion = await platform.PushAsync(forbidden, TestModels.Mlp(), """{"serving":{"maxBatchSize":0}}""");
        await platform.DeployAsync(mixing, mixingVersion);
        await platform.DeployAsync(forbidden, forbiddenVersion);
        platform.StartWorker(mixing, forbidden);
        await platform.WaitForServingAsync(mixing, mixingVersion);
        var heartbeat = await platform.WaitForServingAsync(forbidden, forbiddenVersion);

        var mixingState = heartbeat.LoadedModels.Single(m => m.ModelName == mixing);
        Assert.False(mixingState.Batching);
        Assert.Contains("does not treat rows independently", mixingState.BatchingReason);
        var forbiddenState = heartbeat.LoadedModels.Single(m => m.ModelName == forbidden);
        Assert.False(forbiddenState.Batching);
        Assert.Contains("serving.maxBatchSize is 0", forbiddenState.BatchingReason);

        // Concurrent requests: none is merged, so each row minus the mean of its own run is zero.
        var rows = Enumerable.Range(0, 8).Select(i => new[] { 1f + i, -2f * i, 3f, 0.5f * i }).ToList();
        var answers = await Task.WhenAll(rows.Select(x => platform.InferAsync(new InferenceRequested(
            Guid.NewGuid().ToString("N"), "admin", mixing, mixingVersion,
            [new InferenceTensor("x", "FP32", [1, 4], RawData: MemoryMarshal.AsBytes(x.AsSpan()).ToArray())],
            DateTimeOffset.UtcNow.AddSeconds(30)))));
        Assert.All(answers, a =>
        {
            Assert.Null(a.Rejected);
            Assert.Equal(1, a.Completed!.BatchSize);
            Assert.All(MemoryMarshal.Cast<byte, float>(a.Completed.Outputs[0].RawData).ToArray(), v => Assert.Equal(0f, v));
        });
        var plain = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => platform.InferAsync(Request(forbidden, forbiddenVersion, TestModels.MlpRows(i, 1), 1))));
        Assert.All(plain, a => Assert.Equal(1, a.Completed!.BatchSize));

        // A plain-JSON publisher's shape whose byte size overflows 64 bits is refused by name, not allocated.
        var (_, overflow) = await platform.InferAsync(new InferenceRequested(
            Guid.NewGuid().ToString("N"), "admin", mixing, mixingVersion,
            [new InferenceTensor("x", "FP32", [1L << 59, 4], RawData: [])], DateTimeOffset.UtcNow.AddSeconds(30)));
        Assert.Equal(RejectionReason.InvalidInput, overflow!.Reason);
        Assert.Equal("inputs[0].shape", overflow.Field);
    }

    [Fact]
    public async Task Bad_input_and_expired_deadlines_are_answered_with_the_reason_and_field()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var version = await platform.PushAsync(model, TestModels.Mlp());
        await platform.DeployAsync(model, version);
        platform.StartWorker(model);
        await platform.WaitForServingAsync(model, version);

        var wrongShape = Request(model, version, new float[3], 1) with
        {
            Inputs = [new InferenceTensor("x", "FP32", [1, 3], RawData: new byte[12])],
        };
        var (_, invalid) = await platform.InferAsync(wrongShape);
        Assert.Equal(RejectionReason.InvalidInput, invalid!.Reason);
        Assert.Equal("inputs[0].shape", invalid.Field);
        Assert.Contains("'x'", invalid.Detail);

        var expired = Request(model, version, TestModels.MlpRows(0, 1), 1) with { Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) };
        var (_, late) = await platform.InferAsync(expired);
        Assert.Equal(RejectionReason.DeadlineExceeded, late!.Reason);

        using var worker = platform.WorkerClient();
        Assert.Contains("orbit_inference_errors_total{", await worker.GetStringAsync("/metrics"));

        // A plain-JSON publisher's data array instead of rawData.
        var json = Request(model, version, TestModels.MlpRows(0, 1), 1) with
        {
            Inputs = [new InferenceTensor("x", "FP32", [1, 8], Data: JsonDocument.Parse("[[0,1,2,3,4,5,6,7]]").RootElement)],
        };
        var (completed, rejected) = await platform.InferAsync(json);
        Assert.Null(rejected);
        Assert.Equal(TestModels.RunMlp(TestModels.Mlp(), [0, 1, 2, 3, 4, 5, 6, 7], 1), completed!.Outputs[0].RawData);
    }

    [Fact]
    public async Task A_coalesced_batch_answers_each_request_on_its_own_and_a_bad_one_fails_alone()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var onnx = TestModels.Mlp();
        var version = await platform.ServeAsync(model, onnx);
        var (one, two) = (TestModels.MlpRows(5, 1), TestModels.MlpRows(6, 3));
        var bad = Request(model, version, new float[3], 1) with { Inputs = [new InferenceTensor("x", "FP32", [1, 3], RawData: new byte[12])] };
        var requests = new[] { Request(model, version, one, 1), bad, Request(model, version, two, 3) };

        var answer = await RawInferenceClient.InferBatchAsync(new InferenceBatchRequested("admin", model, requests));

        Assert.Equal(requests.Select(r => r.RequestId), answer.Results.Select(r => r.RequestId));
        Assert.Equal(TestModels.RunMlp(onnx, one, 1), answer.Results[0].Completed!.Outputs[0].RawData);
        Assert.Equal((RejectionReason.InvalidInput, "inputs[0].shape"), (answer.Results[1].Rejected!.Reason, answer.Results[1].Rejected!.Field));
        Assert.Null(answer.Results[1].Completed);
        Assert.Equal(TestModels.RunMlp(onnx, two, 3), answer.Results[2].Completed!.Outputs[0].RawData);
    }
}
