using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Orbit.Gateway.Grpc;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Tests.Grpc;

public sealed class GrpcInferRequestReaderTests
{
    [Theory]
    [InlineData("INT8", "[-128, 127]")]
    [InlineData("INT16", "[-2, 300]")]
    [InlineData("INT32", "[-70000, 5]")]
    [InlineData("INT64", "[-2, 9000000000]")]
    [InlineData("UINT8", "[0, 255]")]
    [InlineData("UINT16", "[65535, 1]")]
    [InlineData("UINT32", "[4000000000]")]
    [InlineData("UINT64", "[18446744073709551615]")]
    [InlineData("BOOL", "[true, false]")]
    [InlineData("FP32", "[1.5, -2.25]")]
    [InlineData("FP64", "[0.1, 1e300]")]
    [InlineData("BYTES", """["hé", "", "!"]""")]
    public void Typed_contents_give_the_bytes_REST_gives_for_the_same_values(string datatype, string data)
    {
        var values = JsonDocument.Parse(data).RootElement;
        var rest = OipRequestReader.Read(JsonDocument.Parse($$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":[{{values.GetArrayLength()}}],"data":{{data}}}]}""").RootElement, 1 << 20);
        var message = new ModelInferRequest { ModelName = "m" };
        message.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = datatype, Shape = { values.GetArrayLength() }, Contents = Contents(datatype, values) });

        var (grpc, error) = GrpcInferRequestReader.Read(message);

        Assert.Null(error);
        Assert.Equal(rest.Request!.Inputs[0].RawData, grpc!.Inputs[0].RawData);
    }

    [Fact]
    public void Raw_contents_are_taken_as_sent_without_a_copy()
    {
        var raw = ByteString.CopyFrom(MemoryMarshal.AsBytes(new float[] { 1, 2, 3, 4 }.AsSpan()));
        var message = new ModelInferRequest { ModelName = "m", RawInputContents = { raw } };
        message.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Shape = { 2, 2 } });

        var (request, _) = GrpcInferRequestReader.Read(message);

        Assert.True(MemoryMarshal.TryGetArray(raw.Memory, out var sent));
        Assert.Same(sent.Array, request!.Inputs[0].RawData);
        Assert.Equal([2L, 2], request.Inputs[0].Shape);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, (byte)'h', (byte)'i', 0, 0, 0, 0 }, 2, null)]
    [InlineData(new byte[] { 2, 0, 0, 0, (byte)'h' }, 1, "is not BYTES elements")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'h', 0, 0 }, 1, "is not BYTES elements")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'h' }, 2, "holds 1 BYTES elements but its shape [2] needs 2")]
    public void Raw_BYTES_must_be_exactly_the_shapes_length_prefixed_elements(byte[] raw, int count, string? expected)
    {
        var message = new ModelInferRequest { ModelName = "m", RawInputContents = { ByteString.CopyFrom(raw) } };
        message.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "s", Datatype = "BYTES", Shape = { count } });

        var (_, error) = GrpcInferRequestReader.Read(message);

        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error);
        }
    }

    [Fact]
    public void A_declared_shape_far_larger_than_the_bytes_sent_is_refused_without_allocating_it()
    {
        var message = new ModelInferRequest { ModelName = "m", RawInputContents = { ByteString.CopyFrom(new byte[8]) } };
        message.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP64", Shape = { 1L << 40, 1L << 20 } });

        var (_, error) = GrpcInferRequestReader.Read(message);

        Assert.Equal("raw_input_contents[0] for input 'x' has 8 bytes but its shape [1099511627776,1048576] of FP64 needs more than 2^31", error);
    }

    [Fact]
    public void Routing_key_timeout_log_prediction_id_and_outputs_are_read_as_REST_reads_them()
    {
        var message = new ModelInferRequest { ModelName = "m", Id = "client-7", RawInputContents = { ByteString.CopyFrom(new byte[4]) } };
        message.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Shape = { 1 } });
        message.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" });
        message.Parameters["routing_key"] = new InferParameter { Int64Param = 42 };
        message.Parameters["timeout"] = new InferParameter { Int64Param = 250 };
        message.Parameters["log_prediction"] = new InferParameter { BoolParam = true };

        var (request, _) = GrpcInferRequestReader.Read(message);

        Assert.Equal("client-7", request!.Id);
        Assert.Equal("42", request.RoutingKey);
        Assert.Equal(250, request.TimeoutMilliseconds);
        Assert.True(request.LogPrediction);
        Assert.Equal(["y"], request.Outputs!);
    }

    private static InferTensorContents Contents(string datatype, JsonElement values)
    {
        var contents = new InferTensorContents();
        foreach (var v in values.EnumerateArray())
        {
            switch (datatype)
            {
                case "BOOL": contents.BoolContents.Add(v.GetBoolean()); break;
                case "INT8" or "INT16" or "INT32": contents.IntContents.Add(v.GetInt32()); break;
                case "INT64": contents.Int64Contents.Add(v.GetInt64()); break;
                case "UINT8" or "UINT16" or "UINT32": contents.UintContents.Add(v.GetUInt32()); break;
                case "UINT64": contents.Uint64Contents.Add(v.GetUInt64()); break;
                case "FP32": contents.Fp32Contents.Add(v.GetSingle()); break;
                case "FP64": contents.Fp64Contents.Add(v.GetDouble()); break;
                default: contents.BytesContents.Add(ByteString.CopyFromUtf8(v.GetString())); break;
            }
        }

        return contents;
    }
}
