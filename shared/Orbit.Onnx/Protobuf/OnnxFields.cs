namespace Orbit.Onnx.Protobuf;

// Field numbers from onnx.proto, written by hand instead of generated.
internal static class TensorProtoField
{
    public const int Dims = 1;
    public const int DataType = 2;
    public const int Segment = 3;
    public const int FloatData = 4;
    public const int Int32Data = 5;
    public const int StringData = 6;
    public const int Int64Data = 7;
    public const int Name = 8;
    public const int RawData = 9;
    public const int DoubleData = 10;
    public const int UInt64Data = 11;
    public const int DataLocation = 14;
}

internal static class ModelProtoField
{
    public const int IrVersion = 1;
    public const int ProducerName = 2;
    public const int ProducerVersion = 3;
    public const int Graph = 7;
    public const int OpsetImport = 8;
}

internal static class OperatorSetIdField
{
    public const int Domain = 1;
    public const int Version = 2;
}

internal static class GraphProtoField
{
    public const int Node = 1;
    public const int Name = 2;
    public const int Initializer = 5;
    public const int Input = 11;
    public const int Output = 12;
}

internal static class NodeProtoField
{
    public const int Input = 1;
    public const int Output = 2;
    public const int Name = 3;
    public const int OpType = 4;
    public const int Attribute = 5;
    public const int Domain = 7;
}

internal static class AttributeProtoField
{
    public const int Name = 1;
    public const int F = 2;
    public const int I = 3;
    public const int S = 4;
    public const int T = 5;
    public const int Floats = 7;
    public const int Ints = 8;
    public const int Strings = 9;
    public const int Type = 20;
}

/// <summary>AttributeProto.AttributeType.</summary>
internal enum AttributeType
{
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Floats = 6,
    Ints = 7,
    Strings = 8,
}

internal static class ValueInfoField
{
    public const int Name = 1;
    public const int Type = 2;
}

internal static class TypeProtoField
{
    public const int TensorType = 1;
    public const int SequenceType = 4;
    public const int MapType = 5;
    public const int OpaqueType = 7;
    public const int SparseTensorType = 8;
    public const int OptionalType = 9;
}

internal static class TensorTypeField
{
    public const int ElemType = 1;
    public const int Shape = 2;
}

internal static class TensorShapeField
{
    public const int Dim = 1;
    public const int DimValue = 1;
    public const int DimParam = 2;
}
