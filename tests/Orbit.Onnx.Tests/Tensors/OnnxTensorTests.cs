using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Tensors;

public sealed class OnnxTensorTests
{
    [Fact]
    public void A_tensor_over_an_array_shares_its_memory()
    {
        var data = new int[] { 1, 2, 3, 4 };
        using var tensor = OnnxTensor.FromArray(data, 2, 2);

        tensor.AsSpan<int>()[3] = 40;

        Assert.Equal(40, data[3]);
        Assert.Equal(4, tensor.ElementCount);
        Assert.Equal("int32 [2,2]", tensor.ToString());
    }

    [Fact]
    public void Reading_as_the_wrong_type_is_refused()
    {
        using var tensor = OnnxTensor.Allocate<float>(2);

        var error = Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<int>().Length);

        Assert.Contains("float", error.Message);
    }

    [Fact]
    public void A_buffer_that_does_not_match_the_shape_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new float[5], 2, 3));
    }

    [Fact]
    public void A_negative_dimension_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.Allocate<float>(-1, 3));
    }

    [Fact]
    public void An_allocated_tensor_starts_zeroed()
    {
        using var tensor = OnnxTensor.Allocate<double>(16);

        Assert.All(tensor.ToArray<double>(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void BFloat16_rounds_to_nearest_even_and_keeps_NaN()
    {
        Assert.Equal(1.0f, (float)(BFloat16)1.0f);
        Assert.Equal(1.0078125f, (float)(BFloat16)1.0078125f);
        Assert.Equal(1.0f, (float)(BFloat16)1.00390625f);
        Assert.True(float.IsNaN((float)(BFloat16)float.NaN));
    }
}
