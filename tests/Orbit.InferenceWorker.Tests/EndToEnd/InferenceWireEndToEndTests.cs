using System.Runtime.InteropServices;
using System.Text;
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
/// The binary inference wire format through the real broker and a real worker: binary requests are
/// answered binary, a JSON request (an older gateway, mid-upgrade) is still answered in JSON, and a
/// binary body that cannot be read goes to the error queue with its reason while serving goes on.
/// </summary>
public sealed class InferenceWireEndToEndTests
{
    private static string UniqueModel() => $"wire-{Guid.NewGuid():N}"[..16];

    private static InferenceRequested Request(string model, float[] x, long rows) => new(
        Guid.NewGuid().ToString("N"), "admin", model, null,
        [new InferenceTensor("x", "FP32", [rows, 8], RawData: MemoryMarshal.AsBytes(x.AsSpan()).ToArray())],
        DateTimeOffset.UtcNow.AddSeconds(30));

    [Fact]
    public async Task Binary_requests_are_answered_binary_and_a_JSON_request_from_an_older_gateway_in_JSON()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var onnx = TestModels.Mlp();
        await platform.ServeAsync(model, onnx);

        var x = TestModels.MlpRows(1, 2);
        var (answer, contentType) = await RawInferenceClient.InferBinaryAsync(Request(model, x, 2), "admin", model);
        Assert.Equal(InferenceWireFormat.MediaType, contentType);
        var completed = Assert.IsType<InferenceCompleted>(answer);
        Assert.Equal(new long[] { 2, 3 }, completed.Outputs[0].Shape);
        Assert.Equal(TestModels.RunMlp(onnx, x, 2), completed.Outputs[0].RawData);

        var (one, two) = (TestModels.MlpRows(2, 1), TestModels.MlpRows(3, 3));
        var bad = Request(model, [], 1) with { Inputs = [new InferenceTensor("x", "FP32", [1, 8], RawData: new byte[5])] };
        var batch = new InferenceBatchRequested("admin", model, [Request(model, one, 1), bad, Request(model, two, 3)]);
        var (batchAnswer, batchContentType) = await RawInferenceClient.InferBinaryAsync(batch, "admin", model + InferenceAddresses.BatchSuffix);
        Assert.Equal(InferenceWireFormat.MediaType, batchContentType);
        var results = Assert.IsType<InferenceBatchCompleted>(batchAnswer).Results;
        Assert.Equal(TestModels.RunMlp(onnx, one, 1), results[0].Completed!.Outputs[0].RawData);
        Assert.Equal((RejectionReason.InvalidInput, "inputs[0].rawData"), (results[1].Rejected!.Reason, results[1].Rejected!.Field));
        Assert.Equal(TestModels.RunMlp(onnx, two, 3), results[2].Completed!.Outputs[0].RawData);

        // A binary request the worker refuses is answered with the usual JSON rejection, which has no tensors.
        var (refusal, refusalType) = await RawInferenceClient.InferBinaryAsync(bad, "admin", model);
        Assert.Equal("application/json", refusalType);
        Assert.Equal(RejectionReason.InvalidInput, Assert.IsType<InferenceRejected>(refusal).Reason);

        var (fromJson, rejected) = await platform.InferAsync(Request(model, x, 2));
        Assert.Null(rejected);
        Assert.Equal(TestModels.RunMlp(onnx, x, 2), fromJson!.Outputs[0].RawData);
    }

    [Fact]
    public async Task A_binary_body_that_cannot_be_read_goes_to_the_error_queue_with_its_reason_and_serving_goes_on()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        var onnx = TestModels.Mlp();
        await platform.ServeAsync(model, onnx);
        var queue = $"infer.admin.{model}";
        try
        {
            var good = InferenceWireFormat.Encode(Request(model, TestModels.MlpRows(4, 1), 1));
            var truncated = good[..^7];
            await RawInferenceClient.PublishAsync(queue, InferenceWireFormat.MediaType, truncated);

            await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
            var faulted = await Eventually.GetAsync(() => GetAsync(connection, queue + "_error"), TimeSpan.FromSeconds(60),
                $"the truncated message in {queue}_error");
            Assert.Equal(truncated, faulted.Body.ToArray());
            var reason = Text(faulted.BasicProperties.Headers!["MT-Fault-Message"]);
            Assert.Contains("claims 32 bytes; 25 remain", reason);

            var x = TestModels.MlpRows(5, 1);
            var (answer, _) = await RawInferenceClient.InferBinaryAsync(Request(model, x, 1), "admin", model);
            Assert.Equal(TestModels.RunMlp(onnx, x, 1), Assert.IsType<InferenceCompleted>(answer).Outputs[0].RawData);
        }
        finally
        {
            await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue + "_error", ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(queue + "_error");
        }
    }

    /// <summary>The next message, or null while the queue (declared by the worker when it first fails a message) does not exist yet.</summary>
    private static async Task<BasicGetResult?> GetAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    private static string Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? "";
}
