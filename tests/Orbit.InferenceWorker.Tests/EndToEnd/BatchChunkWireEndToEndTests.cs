using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.InferenceWorker.Tests.EndToEnd;

/// <summary>
/// Batch-job chunks through the real broker and a real worker: a binary chunk (as the registry sends it now) is
/// answered binary, a JSON chunk (an older registry, mid-upgrade) in JSON. The answers are read from a queue of the
/// test's own bound to the registry's results exchange, which is fanout: the registries on the broker get them too,
/// and ignore them (no job of theirs has these ids).
/// </summary>
public sealed class BatchChunkWireEndToEndTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_binary_chunk_is_answered_binary_and_a_JSON_chunk_from_an_older_registry_in_JSON()
    {
        await using var platform = new WorkerWithRegistry();
        var model = $"chunk-{Guid.NewGuid():N}"[..16];
        var onnx = TestModels.Mlp();
        var version = await platform.ServeAsync(model, onnx);
        var digest = (await platform.HeartbeatAsync())!.LoadedModels.Single(m => m.ModelName == model).Digest;
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var answers = await ListenToResultsAsync(channel);
        var jobId = "bj_" + Guid.NewGuid().ToString("N");
        var (x0, x1) = (TestModels.MlpRows(1, 300), TestModels.MlpRows(2, 7));

        await RawInferenceClient.PublishAsync(BatchAddresses.Queue("admin", model), InferenceWireFormat.MediaType,
            InferenceWireFormat.Encode(Chunk(jobId, 0, model, version, digest, x0, 300, maxBatchSize: 64)));
        var (binaryType, binaryBody) = await NextAnswerAsync(channel, answers, jobId, 0);

        Assert.Equal(InferenceWireFormat.MediaType, binaryType);
        var completed = Assert.IsType<BatchChunkCompleted>(InferenceWireFormat.Decode(binaryBody));
        Assert.Equal((jobId, 0, "admin", platform.WorkerId), (completed.JobId, completed.Chunk, completed.TenantId, completed.WorkerId));
        Assert.Equal(new long[] { 300, 3 }, completed.Outputs[0].Shape);
        Assert.Equal(TestModels.RunMlp(onnx, x0, 300), completed.Outputs[0].RawData);

        await RawInferenceClient.PublishAsync(BatchAddresses.Queue("admin", model), "application/json",
            JsonSerializer.SerializeToUtf8Bytes(Chunk(jobId, 1, model, version, digest, x1, 7, maxBatchSize: null), Json));
        var (jsonType, jsonBody) = await NextAnswerAsync(channel, answers, jobId, 1);

        Assert.Equal("application/json", jsonType);
        var fromJson = JsonSerializer.Deserialize<BatchChunkCompleted>(jsonBody, Json)!;
        Assert.Equal(TestModels.RunMlp(onnx, x1, 7), fromJson.Outputs[0].RawData);
    }

    private static BatchChunkRequested Chunk(string jobId, int chunk, string model, int version, string digest, float[] x, int rows, int? maxBatchSize) =>
        new(jobId, chunk, "admin", model, version, digest, rows,
            [new InferenceTensor("x", "FP32", [rows, 8], RawData: MemoryMarshal.AsBytes(x.AsSpan()).ToArray())], maxBatchSize);

    /// <summary>A queue of the test's own, bound to the exchange that workers send answers to (declared as MassTransit does).</summary>
    private static async Task<string> ListenToResultsAsync(IChannel channel)
    {
        await channel.ExchangeDeclareAsync(BatchAddresses.ResultsQueue, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, BatchAddresses.ResultsQueue, "");
        return queue;
    }

    /// <summary>The answer to this chunk, skipping answers to other jobs (other tests' workers share the exchange).</summary>
    private static Task<Answer> NextAnswerAsync(IChannel channel, string queue, string jobId, int chunk) =>
        Eventually.GetAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                var body = message.Body.ToArray();
                var contentType = message.BasicProperties.ContentType ?? "";
                if (IsAnswerTo(contentType, body, jobId, chunk))
                {
                    var type = message.BasicProperties.Headers?.TryGetValue("MT-MessageType", out var value) == true && value is byte[] bytes
                        ? Encoding.UTF8.GetString(bytes)
                        : "";
                    Assert.True(type.Contains(":BatchChunkCompleted", StringComparison.Ordinal), $"answered with {type}: {Encoding.UTF8.GetString(body)}");
                    return new Answer(contentType, body);
                }
            }

            return null;
        }, TimeSpan.FromSeconds(60), $"the answer to chunk {chunk} of {jobId}");

    private static bool IsAnswerTo(string contentType, byte[] body, string jobId, int chunk)
    {
        if (contentType == InferenceWireFormat.MediaType)
        {
            return InferenceWireFormat.Decode(body) is BatchChunkCompleted answer && answer.JobId == jobId && answer.Chunk == chunk;
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("jobId", out var id) && id.GetString() == jobId
            && json.RootElement.TryGetProperty("chunk", out var number) && number.GetInt32() == chunk;
    }

    private sealed record Answer(string ContentType, byte[] Body);
}
