using Google.Protobuf;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Protobuf;

public sealed class TensorProtoReaderTests
{
    [Fact]
    public void Unpacked_typed_fields_are_read_like_packed_ones()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var dim in new long[] { 2 })
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt64(dim);
        }
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt32((int)TensorElementType.Float);
        foreach (var value in new[] { 1.5f, -2f })
        {
            output.WriteTag(4, WireFormat.WireType.Fixed32);
            output.WriteFloat(value);
        }
        output.Flush();

        var tensor = TensorProtoReader.Read(buffer.ToArray());

        Assert.Equal([1.5f, -2f], tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_tensor_name_is_kept_and_may_be_empty()
    {
        var named = TensorProtoReader.Read(TensorProtoWriter.Write(TensorProto.FromSpan<int>("x", [1], 1)));
        var unnamed = TensorProtoReader.Read(TensorProtoWriter.Write(TensorProto.FromSpan<int>("", [1], 1)));

        Assert.Equal("x", named.Name);
        Assert.Equal("", unnamed.Name);
    }

    [Fact]
    public void A_scalar_has_no_dims_and_one_element()
    {
        var scalar = TensorProtoReader.Read(TensorProtoWriter.Write(TensorProto.FromSpan<double>("s", [3.25]), TensorProtoEncoding.TypedFields));

        Assert.Empty(scalar.Dims);
        Assert.Equal(1, scalar.ElementCount);
        Assert.Equal(3.25, scalar.AsSpan<double>()[0]);
    }

    [Fact]
    public void Raw_data_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TensorProto.FromBytes("x", TensorElementType.Float, new byte[7], 2));
    }

    [Conformance.ConformanceFact]
    public void A_backend_test_input_reads_when_the_test_data_is_installed()
    {
        var path = Path.Combine(Conformance.ConformanceTestData.NodeDirectory, "test_add", "test_data_set_0", "input_0.pb");
        var tensor = TensorProtoReader.ReadFile(path);

        Assert.Equal(TensorElementType.Float, tensor.ElementType);
        Assert.Equal([3L, 4L, 5L], tensor.Dims);
    }
}
