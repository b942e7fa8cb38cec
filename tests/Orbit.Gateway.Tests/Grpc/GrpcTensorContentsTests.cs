using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Contracts.Inference;
using Orbit.Gateway.Grpc;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Tests.Grpc;

public sealed class GrpcTensorContentsTests
{
    private static readonly Dictionary<string, InferTensorContents> Typed = new()
    {
        ["BOOL"] = new InferTensorContents { BoolContents = { true, false, true } },
        ["INT8"] = new InferTensorContents { IntContents = { -128, 0, 127 } },
        ["INT16"] = new InferTensorContents { IntContents = { -32768, 32767 } },
        ["INT32"] = new InferTensorContents { IntContents = { int.MinValue, int.MaxValue } },
        ["INT64"] = new InferTensorContents { Int64Contents = { long.MinValue, 3 } },
        ["UINT8"] = new InferTensorContents { UintContents = { 0, 255 } },
        ["UINT16"] = new InferTensorContents { UintContents = { 65535 } },
        ["UINT32"] = new InferTensorContents { UintContents = { uint.MaxValue } },
        ["UINT64"] = new InferTensorContents { Uint64Contents = { ulong.MaxValue } },
        ["FP32"] = new InferTensorContents { Fp32Contents = { 1.5f, float.NaN, float.NegativeInfinity } },
        ["FP64"] = new InferTensorContents { Fp64Contents = { 0.1, double.MaxValue } },
        ["BYTES"] = new InferTensorContents { BytesContents = { ByteString.CopyFromUtf8("hé"), ByteString.Empty } },
    };

    [Theory]
    [InlineData("BOOL")]
    [InlineData("INT8")]
    [InlineData("INT16")]
    [InlineData("INT32")]
    [InlineData("INT64")]
    [InlineData("UINT8")]
    [InlineData("UINT16")]
    [InlineData("UINT32")]
    [InlineData("UINT64")]
    [InlineData("FP32")]
    [InlineData("FP64")]
    [InlineData("BYTES")]
    public void Typed_contents_survive_the_bus_bytes_both_ways(string datatype)
    {
        var contents = Typed[datatype];
        var count = contents.BoolContents.Count + contents.IntContents.Count + contents.Int64Contents.Count + contents.UintContents.Count
            + contents.Uint64Contents.Count + contents.Fp32Contents.Count + contents.Fp64Contents.Count + contents.BytesContents.Count;

        var (raw, error) = GrpcTensorContents.ToRaw(contents, "x", datatype, [count], count);

        Assert.Null(error);
        Assert.Equal(contents, GrpcTensorContents.FromRaw(datatype, raw));
    }

    [Theory]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public void Half_precision_has_no_typed_field(string datatype)
    {
        Assert.Null(GrpcTensorContents.FieldOf(datatype));
        Assert.Null(GrpcTensorContents.FromRaw(datatype, new byte[4]));
    }

    [Fact]
    public void Outputs_come_back_raw_and_an_FP16_output_keeps_a_typed_request_raw()
    {
        var fp32 = new InferenceTensor("y", "FP32", [2], RawData: MemoryMarshal.AsBytes(new float[] { 1, 2 }.AsSpan()).ToArray());
        var fp16 = new InferenceTensor("h", "FP16", [1], RawData: [0x00, 0x3C]);
        var tenant = new Caller("k1", "acme", Role.Predictor);

        var raw = GrpcInferResponseWriter.Write("m", Completed(fp32), "id-1", tenant, typed: false);
        var typed = GrpcInferResponseWriter.Write("m", Completed(fp32), null, tenant, typed: true);
        var mixed = GrpcInferResponseWriter.Write("m", Completed(fp32, fp16), null, tenant, typed: true);

        Assert.Equal(fp32.RawData, raw.RawOutputContents[0].ToByteArray());
        Assert.Null(raw.Outputs[0].Contents);
        Assert.Equal("id-1", raw.Id);
        Assert.Equal("3", raw.ModelVersion);
        Assert.Equal([1f, 2f], typed.Outputs[0].Contents.Fp32Contents);
        Assert.Empty(typed.RawOutputContents);
        Assert.Equal(2, mixed.RawOutputContents.Count);
        Assert.All(mixed.Outputs, o => Assert.Null(o.Contents));
        // A tenant sees its workers by alias, as over REST; the batch size and timings travel as parameters.
        Assert.NotEqual("inference-worker-1", raw.Parameters["worker_id"].StringParam);
        Assert.Equal(4, raw.Parameters["batch_size"].Int64Param);
        Assert.Equal("0.25", raw.Parameters["queue_ms"].StringParam);
    }

    [Theory]
    [InlineData(400, 3)]
    [InlineData(401, 16)]
    [InlineData(403, 7)]
    [InlineData(404, 5)]
    [InlineData(413, 8)]
    [InlineData(429, 8)]
    [InlineData(500, 13)]
    [InlineData(502, 14)]
    [InlineData(503, 14)]
    [InlineData(504, 4)]
    public void REST_statuses_map_to_gRPC_codes(int httpStatus, int grpcCode) =>
        Assert.Equal((global::Grpc.Core.StatusCode)grpcCode, GrpcRefusal.From(new Orbit.Gateway.Inference.OipError(httpStatus, "no")).Code);

    private static InferenceCompleted Completed(params InferenceTensor[] outputs) =>
        new("r1", "m", 3, outputs, "inference-worker-1", 0.25, 1.5, 4);
}
