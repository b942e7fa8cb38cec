using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Tensors;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tests.Tensors;

public sealed class DatatypeRoundTripTests
{
    public static TheoryData<string, string, byte[]> Cases() => new()
    {
        { "BOOL", "[[true,false],[false,true]]", Bytes<bool>(true, false, false, true) },
        { "UINT8", "[0,1,254,255]", Bytes<byte>(0, 1, 254, 255) },
        { "UINT16", "[0,1,65534,65535]", Bytes<ushort>(0, 1, 65534, 65535) },
        { "UINT32", "[0,1,4294967294,4294967295]", Bytes<uint>(0, 1, 4294967294, 4294967295) },
        { "UINT64", "[0,1,18446744073709551614,18446744073709551615]", Bytes<ulong>(0, 1, 18446744073709551614, 18446744073709551615) },
        { "INT8", "[-128,-1,0,127]", Bytes<sbyte>(-128, -1, 0, 127) },
        { "INT16", "[-32768,-1,0,32767]", Bytes<short>(-32768, -1, 0, 32767) },
        { "INT32", "[-2147483648,-1,0,2147483647]", Bytes<int>(int.MinValue, -1, 0, int.MaxValue) },
        { "INT64", "[-9223372036854775808,-1,0,9223372036854775807]", Bytes<long>(long.MinValue, -1, 0, long.MaxValue) },
        { "FP16", "[[-1.5,0.0],[0.25,65504]]", Bytes<Half>((Half)(-1.5), (Half)0, (Half)0.25, Half.MaxValue) },
        { "FP32", "[-1.5,0.1,3.4028235E+38,1e-45]", Bytes<float>(-1.5f, 0.1f, float.MaxValue, float.Epsilon) },
        { "FP64", "[-1.5,0.1,1.7976931348623157E+308,5e-324]", Bytes<double>(-1.5, 0.1, double.MaxValue, double.Epsilon) },
        { "BYTES", "[[\"\",\"a\"],[\"h\u00e9llo\",\"\u6f22\u5b57 \ud83d\ude80\"]]", TensorEncoder.PackStrings(["", "a", "h\u00e9llo", "\u6f22\u5b57 \ud83d\ude80"]) },
    };

    private static byte[] Bytes<T>(params T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RawData_comes_back_unchanged_through_an_Identity_model(string datatype, string json, byte[] raw)
    {
        _ = json;
        var output = await RoundTripAsync(datatype, new InferenceTensor("x", datatype, [2, 2], RawData: raw));

        Assert.Equal(datatype, output.Datatype);
        Assert.Equal(new long[] { 2, 2 }, output.Shape);
        Assert.Equal(raw, output.RawData);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_data_flat_or_nested_becomes_the_same_little_endian_bytes(string datatype, string json, byte[] raw)
    {
        var output = await RoundTripAsync(datatype, new InferenceTensor("x", datatype, [2, 2], Data: JsonDocument.Parse(json).RootElement));

        Assert.Equal(raw, output.RawData);
    }

    [Fact]
    public void A_value_out_of_the_datatype_s_range_is_refused_naming_the_field()
    {
        var tensor = new InferenceTensor("x", "UINT8", [1, 2], Data: JsonDocument.Parse("[1,256]").RootElement);

        Assert.Null(TensorDecoder.Decode(tensor, TensorElementType.UInt8, 3, out var error));
        Assert.Equal("inputs[3].data", error!.Field);
        Assert.Contains("'x'", error.Detail);
    }

    [Fact]
    public void BYTES_rawData_whose_lengths_overrun_the_buffer_is_refused()
    {
        var raw = TensorEncoder.PackStrings(["ab", "cd"]);
        raw[6] = 200;
        var tensor = new InferenceTensor("x", "BYTES", [2], RawData: raw);

        Assert.Null(TensorDecoder.Decode(tensor, TensorElementType.String, 0, out var error));
        Assert.Equal("inputs[0].rawData", error!.Field);
    }

    [Fact]
    public void RawData_of_the_wrong_length_is_refused_with_both_lengths()
    {
        var tensor = new InferenceTensor("x", "FP32", [2, 2], RawData: new byte[12]);

        Assert.Null(TensorDecoder.Decode(tensor, TensorElementType.Float, 1, out var error));
        Assert.Equal("inputs[1].rawData", error!.Field);
        Assert.Contains("16", error.Detail);
        Assert.Contains("12", error.Detail);
    }

    private static async Task<InferenceTensor> RoundTripAsync(string datatype, InferenceTensor input)
    {
        Assert.True(OipElementTypes.TryParse(datatype, out var type));
        using var harness = new BatchingHarness(TestModels.Identity(type));
        var decoded = TensorDecoder.Decode(input, type, 0, out var error);
        Assert.True(decoded is not null, error?.Detail);
        var request = new PendingRequest("r", harness.Model, [decoded], null, DateTimeOffset.MaxValue, TimeProvider.System.GetTimestamp());
        var batcher = harness.Batcher();
        batcher.TryEnqueue(request);
        batcher.Start();

        var outcome = await request.Completion;

        Assert.True(outcome.Succeeded, outcome.Detail);
        return Assert.Single(outcome.Outputs!);
    }
}
