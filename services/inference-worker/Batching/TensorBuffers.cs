using System.Runtime.InteropServices;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Batching;

/// <summary>Input tensors over pooled arrays, filled with one or more requests' rows in order.</summary>
internal static class TensorBuffers
{
    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="parts"/> one after another along dimension 0.</summary>
    public static OnnxTensor Concatenate(IReadOnlyList<DecodedTensor> parts, long[] shape)
    {
        var type = parts[0].ElementType;
        if (type == TensorElementType.String)
        {
            var strings = parts.Count == 1 ? parts[0].Strings! : parts.SelectMany(p => p.Strings!).ToArray();
            return OnnxTensor.FromStrings(strings, shape);
        }

        return type switch
        {
            TensorElementType.Bool => Fill<bool>(parts, shape),
            TensorElementType.UInt8 => Fill<byte>(parts, shape),
            TensorElementType.UInt16 => Fill<ushort>(parts, shape),
            TensorElementType.UInt32 => Fill<uint>(parts, shape),
            TensorElementType.UInt64 => Fill<ulong>(parts, shape),
            TensorElementType.Int8 => Fill<sbyte>(parts, shape),
            TensorElementType.Int16 => Fill<short>(parts, shape),
            TensorElementType.Int32 => Fill<int>(parts, shape),
            TensorElementType.Int64 => Fill<long>(parts, shape),
            TensorElementType.Float16 => Fill<Half>(parts, shape),
            TensorElementType.BFloat16 => Fill<BFloat16>(parts, shape),
            TensorElementType.Float => Fill<float>(parts, shape),
            TensorElementType.Double => Fill<double>(parts, shape),
            _ => throw new NotSupportedException($"Element type {ElementTypes.Name(type)} is not served."),
        };
    }

    private static OnnxTensor Fill<T>(IReadOnlyList<DecodedTensor> parts, long[] shape)
        where T : unmanaged
    {
        var tensor = OnnxTensor.Rent<T>(shape);
        var target = MemoryMarshal.AsBytes(tensor.AsSpan<T>());
        var offset = 0;
        foreach (var part in parts)
        {
            part.Bytes.Span.CopyTo(target[offset..]);
            offset += part.Bytes.Length;
        }

        return tensor;
    }
}
