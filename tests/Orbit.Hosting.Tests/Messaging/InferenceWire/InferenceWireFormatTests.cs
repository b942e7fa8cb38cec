using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.Hosting.Tests.Messaging.InferenceWire;

public sealed class InferenceWireFormatTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 11, 30, 10, 0, 0, 123, TimeSpan.Zero);

    public static TheoryData<string> Datatypes() => [.. OipDatatypes.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Datatypes))]
    public void A_request_with_a_tensor_of_each_datatype_comes_back_equal(string datatype)
    {
        var request = Request([RawTensor("x", datatype, 2, 3)]);

        var decoded = RoundTrip(request);

        AssertSame(request, decoded);
        Assert.Equal(request.Inputs[0].RawData, decoded.Inputs[0].RawData);
    }

    [Fact]
    public void Tensor_bytes_are_carried_as_they_are_not_as_base64()
    {
        var raw = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        var request = Request([new InferenceTensor("image", "UINT8", [1, 4096], RawData: raw)]);

        var body = InferenceWireFormat.Encode(request);

        Assert.True(body.AsSpan().IndexOf(raw) > 0, "the tensor's bytes appear verbatim in the body");
        Assert.True(body.Length < raw.Length + 1024, $"a {raw.Length}-byte tensor took {body.Length} bytes");
    }

    [Fact]
    public void Empty_tensors_and_a_request_without_inputs_come_back_equal()
    {
        var request = Request([
            new InferenceTensor("none", "FP32", [0, 4], RawData: []),
            new InferenceTensor("scalar", "INT64", [], RawData: new byte[8]),
        ]);

        AssertSame(request, RoundTrip(request));
        var noInputs = Request([]);
        AssertSame(noInputs, RoundTrip(noInputs));
    }

    [Fact]
    public void Several_tensors_keep_their_own_bytes_and_JSON_data_stays_JSON()
    {
        using var data = JsonDocument.Parse("[[1.5, 2], [3, 4]]");
        var request = Request([
            RawTensor("a", "FP32", 1, 3),
            new InferenceTensor("b", "FP32", [2, 2], Data: data.RootElement.Clone()),
            RawTensor("c", "INT16", 5),
            RawTensor("d", "BYTES", 2),
        ]);

        var decoded = RoundTrip(request);

        AssertSame(request, decoded);
        Assert.Equal("[[1.5,2],[3,4]]", decoded.Inputs[1].Data!.Value.GetRawText().Replace(" ", ""));
        Assert.Null(decoded.Inputs[1].RawData);
        Assert.Equal(request.Inputs[2].RawData, decoded.Inputs[2].RawData);
    }

    [Fact]
    public void Optional_fields_come_back_set_when_set_and_null_when_not()
    {
        var full = Request([RawTensor("x", "FP32", 2)]) with
        {
            ModelVersion = 7,
            RequestedOutputs = ["y", "z"],
            Priority = InferencePriority.Asynchronous,
            RoutingKey = "customer-42",
            Parameters = new Dictionary<string, string> { ["binary_data_output"] = "true", ["é ünicode"] = "\"quoted\"\n" },
        };

        var decodedFull = RoundTrip(full);
        var decodedBare = RoundTrip(Request([]));

        AssertSame(full, decodedFull);
        Assert.Equal(Deadline, decodedFull.Deadline);
        Assert.Null(decodedBare.ModelVersion);
        Assert.Null(decodedBare.RequestedOutputs);
        Assert.Null(decodedBare.RoutingKey);
        Assert.Null(decodedBare.Parameters);
    }

    [Fact]
    public void A_coalesced_batch_and_its_answer_come_back_equal()
    {
        var batch = new InferenceBatchRequested("acme", "mlp", [Request([RawTensor("x", "FP32", 1, 4)]), Request([RawTensor("x", "FP32", 3, 4)]) with { RequestId = "r2" }]);
        var answer = new InferenceBatchCompleted([
            new InferenceBatchResult("r1", Completed: Completed([RawTensor("y", "FP32", 1, 2), RawTensor("label", "BYTES", 1)])),
            new InferenceBatchResult("r2", Rejected: new InferenceRejected("r2", "mlp", RejectionReason.InvalidInput, "input 'x' has shape [3,4]", "inputs[0].shape", "worker-1")),
            new InferenceBatchResult("r3", Rejected: new InferenceRejected("r3", "mlp", RejectionReason.DeadlineExceeded, "too late")),
        ]);

        AssertSame(batch, RoundTrip(batch));
        AssertSame(answer, RoundTrip(answer));
    }

    [Fact]
    public void A_completed_answer_comes_back_equal()
    {
        var completed = Completed([RawTensor("y", "FP64", 4, 2), RawTensor("empty", "INT32", 0)]);

        AssertSame(completed, RoundTrip(completed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(64)]
    public void A_batch_chunk_with_several_inputs_comes_back_equal_with_or_without_its_max_batch_size(int? maxBatchSize)
    {
        var chunk = Chunk([RawTensor("x", "FP32", 1000, 32), RawTensor("ids", "INT64", 1000), RawTensor("empty", "FP32", 1000, 0)], maxBatchSize);

        var body = InferenceWireFormat.Encode(chunk);
        var decoded = Assert.IsType<BatchChunkRequested>(InferenceWireFormat.Decode(body));

        AssertSame(chunk, decoded);
        Assert.Equal(maxBatchSize, decoded.MaxBatchSize);
        Assert.Equal(maxBatchSize is not null, Header(body).Contains("\"maxBatchSize\"", StringComparison.Ordinal));
        Assert.Equal(chunk.Inputs.Select(i => i.RawData), decoded.Inputs.Select(i => i.RawData));
        Assert.True(body.AsSpan().IndexOf(chunk.Inputs[0].RawData) > 0, "the rows' bytes appear verbatim in the body");
    }

    [Fact]
    public void A_batch_chunk_answer_with_several_outputs_comes_back_equal()
    {
        var answer = new BatchChunkCompleted(JobId, 17, "acme", [RawTensor("y", "FP32", 250, 2), RawTensor("label", "INT64", 250)], "inference-worker-2", 0.41);

        var decoded = RoundTrip(answer);

        AssertSame(answer, decoded);
        Assert.Equal(answer.Outputs[1].RawData, decoded.Outputs[1].RawData);
    }

    [Fact]
    public void A_chunk_header_with_a_null_max_batch_size_reads_as_none()
    {
        var good = InferenceWireFormat.Encode(Chunk([RawTensor("x", "FP32", 2, 3)], null));
        var header = Header(good).Replace("\"rows\":", "\"maxBatchSize\":null,\"rows\":", StringComparison.Ordinal);

        var decoded = Assert.IsType<BatchChunkRequested>(InferenceWireFormat.Decode(Body(5, header, Tensors(good))));

        Assert.Null(decoded.MaxBatchSize);
    }

    [Fact]
    public void Only_the_inference_messages_and_the_batch_chunks_with_tensors_have_a_binary_form()
    {
        Assert.True(InferenceWireFormat.Supports(typeof(InferenceRequested)));
        Assert.True(InferenceWireFormat.Supports(typeof(InferenceBatchCompleted)));
        Assert.True(InferenceWireFormat.Supports(typeof(BatchChunkRequested)));
        Assert.True(InferenceWireFormat.Supports(typeof(BatchChunkCompleted)));
        Assert.False(InferenceWireFormat.Supports(typeof(InferenceRejected)));
        Assert.False(InferenceWireFormat.Supports(typeof(BatchChunkFailed)));
        Assert.Throws<NotSupportedException>(() => InferenceWireFormat.Encode(new InferenceRejected("r", "m", RejectionReason.ModelError, "x")));
        Assert.Throws<NotSupportedException>(() => InferenceWireFormat.Encode(new BatchChunkFailed(JobId, 1, "acme", "x", "w")));
    }

    public static TheoryData<string, string> MalformedChunks() => new()
    {
        { "truncated tensor bytes", "tensor 'ids' claims 80 bytes; 73 remain after the header" },
        { "missing jobId", "not a valid ChunkRequested header: 'jobId' is missing" },
        { "missing rows", "not a valid ChunkRequested header: 'rows' is missing" },
        { "an answer sent as a chunk", "not a valid ChunkRequested header: 'modelName' is missing" },
        { "a chunk sent as an answer", "not a valid ChunkCompleted header: 'outputs' is missing" },
        { "answer missing jobId", "not a valid ChunkCompleted header: 'jobId' is missing" },
    };

    [Theory]
    [MemberData(nameof(MalformedChunks))]
    public void A_malformed_batch_chunk_or_answer_is_refused_saying_why(string what, string reason)
    {
        var chunk = InferenceWireFormat.Encode(Chunk([RawTensor("x", "FP32", 10, 2), RawTensor("ids", "INT64", 10)], 8));
        var answer = InferenceWireFormat.Encode(new BatchChunkCompleted(JobId, 3, "acme", [RawTensor("y", "FP32", 10)], "worker-1", 1.5));
        var body = what switch
        {
            "truncated tensor bytes" => chunk[..^7],
            "missing jobId" => Body(5, Header(chunk).Replace($"\"jobId\":\"{JobId}\",", "", StringComparison.Ordinal), Tensors(chunk)),
            "missing rows" => Body(5, Header(chunk).Replace("\"rows\":10,", "", StringComparison.Ordinal), Tensors(chunk)),
            "an answer sent as a chunk" => With(answer, b => b[4] = 5),
            "a chunk sent as an answer" => With(chunk, b => b[4] = 6),
            "answer missing jobId" => Body(6, Header(answer).Replace($"\"jobId\":\"{JobId}\",", "", StringComparison.Ordinal), Tensors(answer)),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var refused = Assert.Throws<InferenceWireException>(() => InferenceWireFormat.Decode(body));

        Assert.Contains(reason, refused.Message);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "empty", "preamble" },
        { "json", "preamble" },
        { "unknown kind", "unknown message kind 9" },
        { "header past the end", "the header claims" },
        { "header not JSON", "not a valid Requested header" },
        { "missing field", "not a valid Requested header: 'tenantId' is missing" },
        { "field of the wrong kind", "not a valid Requested header" },
        { "tensor past the end", "claims 4000 bytes" },
        { "bytes after the tensors", "5 bytes follow the last tensor" },
        { "negative tensor length", "claims -1 bytes" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_body_is_refused_saying_why(string what, string reason)
    {
        var good = InferenceWireFormat.Encode(Request([RawTensor("x", "FP32", 1, 4)]));
        var body = what switch
        {
            "empty" => [],
            "json" => Encoding.UTF8.GetBytes("""{"requestId":"r1"}"""),
            "unknown kind" => With(good, b => b[4] = 9),
            "header past the end" => With(good, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(5), (uint)b.Length)),
            "header not JSON" => Body(1, "{not json", []),
            "missing field" => Body(1, """{"requestId":"r1"}""", []),
            "field of the wrong kind" => Body(1, Header(good).Replace("\"priority\":9", "\"priority\":\"high\""), Tensors(good)),
            "tensor past the end" => Body(1, Header(good).Replace("\"rawDataBytes\":16", "\"rawDataBytes\":4000"), Tensors(good)),
            "bytes after the tensors" => [.. good, 1, 2, 3, 4, 5],
            "negative tensor length" => Body(1, Header(good).Replace("\"rawDataBytes\":16", "\"rawDataBytes\":-1"), Tensors(good)),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var refused = Assert.Throws<InferenceWireException>(() => InferenceWireFormat.Decode(body));

        Assert.Contains(reason, refused.Message);
    }

    private static T RoundTrip<T>(T message)
        where T : class => Assert.IsType<T>(InferenceWireFormat.Decode(InferenceWireFormat.Encode(message)));

    /// <summary>Equal as the JSON contract writes them (raw bytes as base64, lists and arrays alike).</summary>
    private static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, JsonSerializerOptions.Web), JsonSerializer.Serialize(actual, JsonSerializerOptions.Web));

    private static InferenceRequested Request(List<InferenceTensor> inputs) => new("r1", "acme", "mlp", null, inputs, Deadline);

    private const string JobId = "bj_019ad1c2e5f07c3a9b1e2d4f6a8c0e12";

    private static BatchChunkRequested Chunk(List<InferenceTensor> inputs, int? maxBatchSize) =>
        new(JobId, 17, "acme", "churn", 3, "sha256:" + new string('9', 64), (int)inputs[0].Shape[0], inputs, maxBatchSize);

    private static InferenceCompleted Completed(List<InferenceTensor> outputs) => new("r1", "mlp", 3, outputs, "worker-1", 0.125, 1.5, 4);

    /// <summary>A tensor of the shape's element count, with distinct bytes (BYTES: length-prefixed strings).</summary>
    private static InferenceTensor RawTensor(string name, string datatype, params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (datatype == "BYTES")
        {
            var bytes = new List<byte>();
            for (var i = 0; i < count; i++)
            {
                var element = Encoding.UTF8.GetBytes($"élément {i}");
                bytes.AddRange(BitConverter.GetBytes(element.Length));
                bytes.AddRange(element);
            }

            return new InferenceTensor(name, datatype, shape, RawData: [.. bytes]);
        }

        var raw = new byte[count * OipDatatypes.SizeOf(datatype)];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = (byte)(i * 7 + 1);
        }

        return new InferenceTensor(name, datatype, shape, RawData: raw);
    }

    private static byte[] With(byte[] body, Action<byte[]> change)
    {
        var copy = body.ToArray();
        change(copy);
        return copy;
    }

    private static string Header(byte[] body) => Encoding.UTF8.GetString(body, 9, (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(5)));

    private static byte[] Tensors(byte[] body) => body[(9 + (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(5)))..];

    private static byte[] Body(byte kind, string header, byte[] tensors)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)headerBytes.Length);
        return [.. "OIB1"u8, kind, .. length, .. headerBytes, .. tensors];
    }
}
