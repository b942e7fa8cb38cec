using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Serving;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tests.Tensors;

/// <summary>
/// A request's declared shape is the publisher's word, not a fact: anyone may publish plain JSON to
/// <c>infer.{tenant}.{model}</c>. Nothing may be allocated from it before it agrees with the bytes sent.
/// </summary>
public sealed class DeclaredShapeTests : IDisposable
{
    private readonly OnnxSession _mlp = OnnxSession.FromBytes(TestModels.Mlp());
    private readonly OnnxSession _doubler = OnnxSession.FromBytes(TestModels.Doubler());
    private readonly OnnxSession _strings = OnnxSession.FromBytes(TestModels.Identity(TensorElementType.String));

    private static InferenceRequested Request(InferenceTensor input) => new("r-1", "acme", "churn", 1, [input], default);

    [Fact]
    public void A_shape_whose_byte_size_overflows_is_rejected_naming_the_input()
    {
        // 2^59 × 8 elements × 4 bytes = 2^64 bytes, which wraps to 0 in 64-bit arithmetic: the empty rawData used to pass.
        var request = Request(new InferenceTensor("x", "FP32", [1L << 59, 8], RawData: []));

        var decoded = RequestValidator.Validate(request, _mlp, out var error);

        Assert.Null(decoded);
        Assert.Equal("inputs[0].shape", error!.Field);
        Assert.Contains("'x'", error.Detail);
    }

    [Fact]
    public void A_shape_whose_element_count_overflows_is_rejected_naming_the_input()
    {
        var request = Request(new InferenceTensor("x", "FP32", [1L << 40, 1L << 40], RawData: []));

        RequestValidator.Validate(request, _doubler, out var error);

        Assert.Equal("inputs[0].shape", error!.Field);
        Assert.Contains("'x'", error.Detail);
    }

    [Fact]
    public void An_empty_tensor_whose_row_size_overflows_is_rejected()
    {
        // Zero rows hold zero elements, but a row of 2^62 floats has no byte size a buffer could have.
        var request = Request(new InferenceTensor("x", "FP32", [0, 1L << 62], RawData: []));

        RequestValidator.Validate(request, _doubler, out var error);

        Assert.Equal("inputs[0].shape", error!.Field);
    }

    [Fact]
    public void A_negative_dimension_is_rejected_naming_the_input()
    {
        var request = Request(new InferenceTensor("x", "FP32", [-2, 8], RawData: new byte[64]));

        RequestValidator.Validate(request, _mlp, out var error);

        Assert.Equal("inputs[0].shape", error!.Field);
        Assert.Contains("'x'", error.Detail);
    }

    [Fact]
    public void Bytes_rawdata_too_short_for_its_declared_elements_is_rejected_before_anything_is_allocated_for_them()
    {
        // 2^24 × 2 strings declared, one 4-byte element sent: an array for the declared count would take 256 MiB.
        var request = Request(new InferenceTensor("x", "BYTES", [1L << 24, 2], RawData: [0, 0, 0, 0]));

        var before = GC.GetAllocatedBytesForCurrentThread();
        RequestValidator.Validate(request, _strings, out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("inputs[0].rawData", error!.Field);
        Assert.Contains("'x'", error.Detail);
        Assert.True(allocated < 64 * 1024, $"validating a 4-byte input allocated {allocated} bytes");
    }

    [Fact]
    public void Nested_data_whose_nesting_contradicts_the_shape_is_rejected()
    {
        // Six numbers as three rows of two, declared as two rows of three.
        var data = JsonDocument.Parse("[[1,2],[3,4],[5,6]]").RootElement;
        var request = Request(new InferenceTensor("x", "FP32", [2, 3], Data: data));

        RequestValidator.Validate(request, _doubler, out var error);

        Assert.Equal("inputs[0].data", error!.Field);
        Assert.Contains("'x'", error.Detail);
    }

    [Fact]
    public void Flat_and_matching_nested_data_are_both_accepted()
    {
        var flat = Request(new InferenceTensor("x", "FP32", [2, 3], Data: JsonDocument.Parse("[1,2,3,4,5,6]").RootElement));
        var nested = Request(new InferenceTensor("x", "FP32", [2, 3], Data: JsonDocument.Parse("[[1,2,3],[4,5,6]]").RootElement));

        Assert.NotNull(RequestValidator.Validate(flat, _doubler, out var flatError));
        Assert.NotNull(RequestValidator.Validate(nested, _doubler, out var nestedError));
        Assert.Null(flatError);
        Assert.Null(nestedError);
    }

    public void Dispose()
    {
        _mlp.Dispose();
        _doubler.Dispose();
        _strings.Dispose();
    }
}
