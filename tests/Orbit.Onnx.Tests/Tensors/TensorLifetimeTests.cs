using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Tensors;

public sealed class TensorLifetimeTests
{
    [Fact]
    public void Disposing_a_tensor_releases_its_OrtValue()
    {
        var tensor = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 3);

        tensor.Dispose();

        Assert.True(tensor.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => tensor.AsSpan<float>().Length);
    }

    [Fact]
    public void Disposing_twice_is_harmless()
    {
        var tensor = OnnxTensor.Allocate<long>(2, 2);

        tensor.Dispose();
        tensor.Dispose();

        Assert.True(tensor.IsDisposed);
    }

    [Fact]
    public void A_rented_tensor_returns_its_array_to_the_pool_when_released()
    {
        var first = OnnxTensor.Rent<int>(1000);
        first.AsSpan<int>().Fill(7);

        first.Dispose();
        using var second = OnnxTensor.Rent<int>(1000);

        // The pool hands the same thread its last returned array, uncleared.
        Assert.True(first.IsDisposed);
        Assert.All(second.ToArray<int>(), v => Assert.Equal(7, v));
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(a, a));
    }

    [Fact]
    public void A_tensor_disposed_before_Run_is_named_in_the_error()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);
        var b = OnnxTensor.FromArray(new float[3], 1, 3);
        b.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => session.Run(a, b));

        Assert.Contains("'b'", error.Message);
    }
}
