using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tensors;

/// <summary>
/// One request input, checked and in the model's element type: little-endian element bytes, or
/// strings for BYTES. Row-major, so rows along dimension 0 are contiguous and concatenate by bytes.
/// </summary>
internal sealed record DecodedTensor(string Name, TensorElementType ElementType, long[] Shape, ReadOnlyMemory<byte> Bytes, string[]? Strings)
{
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];
}

/// <summary>Why an input was refused: the field (<c>inputs[0].shape</c>) and a sentence naming the input.</summary>
internal sealed record InputError(string Field, string Detail);
