using System.Collections.Frozen;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tensors;

/// <summary>Open Inference Protocol datatype names and the ONNX element types they stand for.</summary>
internal static class OipDatatypes
{
    private static readonly FrozenDictionary<string, TensorElementType> ByName = new Dictionary<string, TensorElementType>
    {
        ["BOOL"] = TensorElementType.Bool,
        ["UINT8"] = TensorElementType.UInt8,
        ["UINT16"] = TensorElementType.UInt16,
        ["UINT32"] = TensorElementType.UInt32,
        ["UINT64"] = TensorElementType.UInt64,
        ["INT8"] = TensorElementType.Int8,
        ["INT16"] = TensorElementType.Int16,
        ["INT32"] = TensorElementType.Int32,
        ["INT64"] = TensorElementType.Int64,
        ["FP16"] = TensorElementType.Float16,
        ["FP32"] = TensorElementType.Float,
        ["FP64"] = TensorElementType.Double,
        ["BF16"] = TensorElementType.BFloat16,
        ["BYTES"] = TensorElementType.String,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryParse(string? name, out TensorElementType type) =>
        ByName.TryGetValue(name ?? "", out type);

    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Bool => "BOOL",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Float16 => "FP16",
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.String => "BYTES",
        _ => throw new NotSupportedException($"ONNX element type {ElementTypes.Name(type)} has no Open Inference Protocol datatype."),
    };
}
