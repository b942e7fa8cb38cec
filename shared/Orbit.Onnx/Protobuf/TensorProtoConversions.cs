using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

public static class TensorProtoConversions
{
    /// <summary>Copies a TensorProto into an OrtValue.</summary>
    public static OnnxTensor ToOnnxTensor(this TensorProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var shape = proto.Dims.ToArray();
        return proto.ElementType == TensorElementType.String
            ? OnnxTensor.FromStrings(proto.Strings, shape)
            : OnnxTensor.FromBytes(proto.ElementType, proto.RawData, shape);
    }

    /// <summary>Copies an OrtValue's elements into a TensorProto.</summary>
    public static TensorProto ToTensorProto(this OnnxTensor tensor, string name = "")
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.ElementType == TensorElementType.String
            ? TensorProto.FromStrings(name, tensor.GetStrings(), tensor.Shape)
            : TensorProto.FromBytes(name, tensor.ElementType, tensor.AsBytes().ToArray(), tensor.Shape);
    }
}
