using System.Runtime.InteropServices;
using Orbit.Onnx.Native;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Sessions;

internal static unsafe class SessionMetadataReader
{
    public static TensorMetadata[] ReadInputs(OrtSessionHandle session) => Read(session, inputs: true);

    public static TensorMetadata[] ReadOutputs(OrtSessionHandle session) => Read(session, inputs: false);

    private static TensorMetadata[] Read(OrtSessionHandle session, bool inputs)
    {
        var pointer = session.Pointer;
        nuint count;
        OrtStatus.Check(inputs ? OrtApi.SessionGetInputCount(pointer, &count) : OrtApi.SessionGetOutputCount(pointer, &count));
        var result = new TensorMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtStatus.Check(inputs
                ? OrtApi.SessionGetInputName(pointer, i, OrtEnvironment.DefaultAllocator, &name)
                : OrtApi.SessionGetOutputName(pointer, i, OrtEnvironment.DefaultAllocator, &name));
            var text = OrtEnvironment.TakeAllocatedString(name);
            using var typeInfo = new OrtTypeInfoHandle();
            nint info;
            OrtStatus.Check(inputs
                ? OrtApi.SessionGetInputTypeInfo(pointer, i, &info)
                : OrtApi.SessionGetOutputTypeInfo(pointer, i, &info));
            typeInfo.Adopt(info);
            result[(int)i] = Describe(text, info);
        }
        return result;
    }

    private static TensorMetadata Describe(string name, nint typeInfo)
    {
        int kind;
        OrtStatus.Check(OrtApi.GetOnnxTypeFromTypeInfo(typeInfo, &kind));
        if ((ValueKind)kind is not ValueKind.Tensor and not ValueKind.SparseTensor)
        {
            return new TensorMetadata(name, (ValueKind)kind, TensorElementType.Undefined, []);
        }
        // Owned by typeInfo: not released separately.
        nint tensorInfo;
        OrtStatus.Check(OrtApi.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
        int elementType;
        OrtStatus.Check(OrtApi.GetTensorElementType(tensorInfo, &elementType));
        nuint rank;
        OrtStatus.Check(OrtApi.GetDimensionsCount(tensorInfo, &rank));
        var sizes = new long[rank];
        var names = new nint[rank];
        fixed (long* s = sizes)
        fixed (nint* n = names)
        {
            OrtStatus.Check(OrtApi.GetDimensions(tensorInfo, s, rank));
            OrtStatus.Check(OrtApi.GetSymbolicDimensions(tensorInfo, (byte**)n, rank));
        }
        var dims = new Dimension[(int)rank];
        for (var d = 0; d < dims.Length; d++)
        {
            var symbol = names[d] == 0 ? null : Marshal.PtrToStringUTF8(names[d]);
            dims[d] = new Dimension(sizes[d], string.IsNullOrEmpty(symbol) ? null : symbol);
        }
        return new TensorMetadata(name, (ValueKind)kind, (TensorElementType)elementType, dims);
    }
}
