using Orbit.Onnx.Conformance;
using Orbit.Onnx.Protobuf;

namespace Orbit.Onnx.Tests.Conformance;

public sealed class TensorComparisonTests
{
    [Fact]
    public void NaN_equals_NaN()
    {
        var a = TensorProto.FromSpan<float>("", [float.NaN, 1], 2);

        Assert.Null(TensorComparison.Difference(a, a, 1e-3, 1e-7));
    }

    [Fact]
    public void Floats_within_the_relative_tolerance_are_equal_and_beyond_it_the_worst_element_is_named()
    {
        var expected = TensorProto.FromSpan<float>("", [1000, 1, 2], 3);
        var close = TensorProto.FromSpan<float>("", [1000.9f, 1, 2], 3);
        var far = TensorProto.FromSpan<float>("", [1002, 1.01f, 2], 3);

        Assert.Null(TensorComparison.Difference(expected, close, 1e-3, 1e-7));
        var difference = TensorComparison.Difference(expected, far, 1e-3, 1e-7);
        Assert.Contains("2 of 3 elements differ", difference);
        Assert.Contains("worst [1] expected 1, got 1.01", difference);
    }

    [Fact]
    public void Integers_must_match_exactly()
    {
        var expected = TensorProto.FromSpan<long>("", [long.MaxValue, 5], 2);
        var actual = TensorProto.FromSpan<long>("", [long.MaxValue - 1, 5], 2);

        Assert.Contains("first [0] expected 9223372036854775807, got 9223372036854775806",
            TensorComparison.Difference(expected, actual, 1, 1));
    }

    [Fact]
    public void Strings_and_shapes_and_types_are_compared()
    {
        Assert.NotNull(TensorComparison.Difference(
            TensorProto.FromStrings("", ["a"], 1), TensorProto.FromStrings("", ["b"], 1), 1e-3, 1e-7));
        Assert.Contains("shape", TensorComparison.Difference(
            TensorProto.FromSpan<int>("", [1, 2], 2), TensorProto.FromSpan<int>("", [1, 2], 1, 2), 1e-3, 1e-7));
        Assert.Contains("expected int32, got int64", TensorComparison.Difference(
            TensorProto.FromSpan<int>("", [1], 1), TensorProto.FromSpan<long>("", [1], 1), 1e-3, 1e-7));
    }
}
