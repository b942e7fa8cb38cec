using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Tensors;

public sealed class StringTensorTests
{
    [Fact]
    public void Strings_go_in_and_come_out_unchanged_including_empty_and_non_ascii()
    {
        string[] values = ["", "orbit", "naïve", "日本語", "a much longer string than the others"];

        using var tensor = OnnxTensor.FromStrings(values, 5);

        Assert.Equal(TensorElementType.String, tensor.ElementType);
        Assert.Equal(values, tensor.GetStrings());
    }

    [Fact]
    public void A_string_tensor_runs_through_a_model()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.String, 2));
        using var input = OnnxTensor.FromStrings(["left", "right"], 2);

        using var result = session.Run(input);

        Assert.Equal(["left", "right"], result[0].GetStrings());
    }

    [Fact]
    public void A_string_tensor_has_no_numeric_view()
    {
        using var tensor = OnnxTensor.FromStrings(["x"], 1);

        Assert.Throws<InvalidOperationException>(() => tensor.AsBytes().Length);
        Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<byte>().Length);
    }

    [Fact]
    public void The_string_count_must_match_the_shape()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromStrings(["a", "b"], 3));
    }
}
