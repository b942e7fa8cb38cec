using Orbit.Contracts.Wire;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tensors;

/// <summary>OIP datatype names as ONNX Runtime element types, through the one shared table (<see cref="OipDatatypes"/>).</summary>
internal static class OipElementTypes
{
    public static bool TryParse(string? name, out TensorElementType type)
    {
        var known = OipDatatypes.TryGet(name, out var datatype);
        type = known ? (TensorElementType)datatype.OnnxElementType : TensorElementType.Undefined;
        return known;
    }

    public static string Name(TensorElementType type) => OipDatatypes.TryFromOnnx((int)type, out var datatype)
        ? datatype.Name
        : throw new NotSupportedException($"ONNX element type {ElementTypes.Name(type)} has no Open Inference Protocol datatype.");
}
