using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Tensors;

public sealed class ElementTypeRoundTripTests
{
    public static TheoryData<TensorElementType> AllTypes() =>
    [
        TensorElementType.Float, TensorElementType.Double, TensorElementType.Float16, TensorElementType.BFloat16,
        TensorElementType.Int8, TensorElementType.Int16, TensorElementType.Int32, TensorElementType.Int64,
        TensorElementType.UInt8, TensorElementType.UInt16, TensorElementType.UInt32, TensorElementType.UInt64,
        TensorElementType.Bool, TensorElementType.String,
    ];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void A_TensorProto_survives_OrtValue_and_back(TensorElementType type)
    {
        var original = Sample(type);

        using var tensor = original.ToOnnxTensor();
        var back = tensor.ToTensorProto("t");

        AssertSame(original, back);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void A_TensorProto_survives_an_Identity_model_in_ORT(TensorElementType type)
    {
        var original = Sample(type);
        using var session = TestModels.Open(TestModels.Identity(type, 2, 3));

        using var input = original.ToOnnxTensor();
        using var result = session.Run(input);

        Assert.Equal(type, session.Outputs[0].ElementType);
        AssertSame(original, result[0].ToTensorProto("t"));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Typed_fields_and_raw_data_encode_the_same_tensor(TensorElementType type)
    {
        var original = Sample(type);

        var viaRaw = TensorProtoReader.Read(TensorProtoWriter.Write(original, TensorProtoEncoding.RawData));
        var viaTyped = TensorProtoReader.Read(TensorProtoWriter.Write(original, TensorProtoEncoding.TypedFields));

        AssertSame(original, viaRaw);
        AssertSame(original, viaTyped);
    }

    internal static TensorProto Sample(TensorElementType type) => type switch
    {
        TensorElementType.Float => TensorProto.FromSpan<float>("t", [0f, -1.5f, float.MaxValue, float.NaN, float.NegativeInfinity, 1e-30f], 2, 3),
        TensorElementType.Double => TensorProto.FromSpan<double>("t", [0, -1.5, double.MaxValue, double.NaN, double.Epsilon, 1e300], 2, 3),
        TensorElementType.Float16 => TensorProto.FromSpan<Half>("t", [(Half)0, (Half)(-1.5f), Half.MaxValue, Half.NaN, (Half)0.1f, Half.Epsilon], 2, 3),
        TensorElementType.BFloat16 => TensorProto.FromSpan<BFloat16>("t",
            [(BFloat16)0f, (BFloat16)(-1.5f), (BFloat16)3.0e38f, (BFloat16)float.NaN, (BFloat16)0.1f, (BFloat16)1e-30f], 2, 3),
        TensorElementType.Int8 => TensorProto.FromSpan<sbyte>("t", [0, -1, sbyte.MinValue, sbyte.MaxValue, 5, -6], 2, 3),
        TensorElementType.Int16 => TensorProto.FromSpan<short>("t", [0, -1, short.MinValue, short.MaxValue, 5, -6], 2, 3),
        TensorElementType.Int32 => TensorProto.FromSpan<int>("t", [0, -1, int.MinValue, int.MaxValue, 5, -6], 2, 3),
        TensorElementType.Int64 => TensorProto.FromSpan<long>("t", [0, -1, long.MinValue, long.MaxValue, 5, -6], 2, 3),
        TensorElementType.UInt8 => TensorProto.FromSpan<byte>("t", [0, 1, byte.MaxValue, 128, 5, 6], 2, 3),
        TensorElementType.UInt16 => TensorProto.FromSpan<ushort>("t", [0, 1, ushort.MaxValue, 32768, 5, 6], 2, 3),
        TensorElementType.UInt32 => TensorProto.FromSpan<uint>("t", [0, 1, uint.MaxValue, 1u << 31, 5, 6], 2, 3),
        TensorElementType.UInt64 => TensorProto.FromSpan<ulong>("t", [0, 1, ulong.MaxValue, 1ul << 63, 5, 6], 2, 3),
        TensorElementType.Bool => TensorProto.FromSpan<bool>("t", [true, false, true, true, false, false], 2, 3),
        TensorElementType.String => TensorProto.FromStrings("t", ["", "a", "héllo", "with space", "🙂", "x\ty"], 2, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static void AssertSame(TensorProto expected, TensorProto actual)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Dims, actual.Dims);
        Assert.Equal(expected.RawData, actual.RawData);
        Assert.Equal(expected.Strings, actual.Strings);
    }
}
