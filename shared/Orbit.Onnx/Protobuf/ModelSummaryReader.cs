using Google.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Reads a ModelProto's header, opsets and graph inputs/outputs (not its weights).</summary>
public static class ModelSummaryReader
{
    public static ModelSummary ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static ModelSummary Read(byte[] model)
    {
        long irVersion = 0;
        string producer = "", producerVersion = "";
        var opsets = new List<OperatorSet>();
        var graph = (Name: "", Inputs: new List<TensorMetadata>(), Outputs: new List<TensorMetadata>(), Initializers: new List<string>());
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case ModelProtoField.IrVersion: irVersion = input.ReadInt64(); break;
                case ModelProtoField.ProducerName: producer = input.ReadString(); break;
                case ModelProtoField.ProducerVersion: producerVersion = input.ReadString(); break;
                case ModelProtoField.OpsetImport: opsets.Add(ReadOpset(ProtoInput.Nested(input.ReadBytes()))); break;
                case ModelProtoField.Graph: graph = ReadGraph(ProtoInput.Nested(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
        var initializers = graph.Initializers.ToHashSet();
        return new ModelSummary(
            irVersion, producer, producerVersion, graph.Name, opsets,
            graph.Inputs.Where(i => !initializers.Contains(i.Name)).ToArray(), graph.Outputs, graph.Initializers);
    }

    private static OperatorSet ReadOpset(CodedInputStream input)
    {
        var domain = "";
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OperatorSetIdField.Domain: domain = input.ReadString(); break;
                case OperatorSetIdField.Version: version = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OperatorSet(domain, version);
    }

    private static (string Name, List<TensorMetadata> Inputs, List<TensorMetadata> Outputs, List<string> Initializers) ReadGraph(
        CodedInputStream input)
    {
        var result = (Name: "", Inputs: new List<TensorMetadata>(), Outputs: new List<TensorMetadata>(), Initializers: new List<string>());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case GraphProtoField.Name: result.Name = input.ReadString(); break;
                case GraphProtoField.Input: result.Inputs.Add(ReadValueInfo(ProtoInput.Nested(input.ReadBytes()))); break;
                case GraphProtoField.Output: result.Outputs.Add(ReadValueInfo(ProtoInput.Nested(input.ReadBytes()))); break;
                case GraphProtoField.Initializer: result.Initializers.Add(ReadTensorName(ProtoInput.Nested(input.ReadBytes()))); break;
                default: input.SkipLastField(); break;
            }
        }
        return result;
    }

    private static string ReadTensorName(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == TensorProtoField.Name)
            {
                return input.ReadString();
            }
            input.SkipLastField();
        }
        return "";
    }

    private static TensorMetadata ReadValueInfo(CodedInputStream input)
    {
        var name = "";
        var value = new TensorMetadata("", ValueKind.Unknown, TensorElementType.Undefined, []);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case ValueInfoField.Name: name = input.ReadString(); break;
                case ValueInfoField.Type: value = ReadType(ProtoInput.Nested(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
        return value with { Name = name };
    }

    private static TensorMetadata ReadType(CodedInputStream input)
    {
        var result = new TensorMetadata("", ValueKind.Unknown, TensorElementType.Undefined, []);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TypeProtoField.TensorType: result = ReadTensorType(ProtoInput.Nested(input.ReadBytes()), ValueKind.Tensor); break;
                case TypeProtoField.SparseTensorType: result = ReadTensorType(ProtoInput.Nested(input.ReadBytes()), ValueKind.SparseTensor); break;
                case TypeProtoField.SequenceType: input.SkipLastField(); result = result with { Kind = ValueKind.Sequence }; break;
                case TypeProtoField.MapType: input.SkipLastField(); result = result with { Kind = ValueKind.Map }; break;
                case TypeProtoField.OpaqueType: input.SkipLastField(); result = result with { Kind = ValueKind.Opaque }; break;
                case TypeProtoField.OptionalType: input.SkipLastField(); result = result with { Kind = ValueKind.Optional }; break;
                default: input.SkipLastField(); break;
            }
        }
        return result;
    }

    private static TensorMetadata ReadTensorType(CodedInputStream input, ValueKind kind)
    {
        var type = TensorElementType.Undefined;
        var dims = new List<Dimension>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorTypeField.ElemType: type = (TensorElementType)input.ReadInt32(); break;
                case TensorTypeField.Shape:
                    var shape = ProtoInput.Nested(input.ReadBytes());
                    uint shapeTag;
                    while ((shapeTag = shape.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(shapeTag) == TensorShapeField.Dim)
                        {
                            dims.Add(ReadDimension(ProtoInput.Nested(shape.ReadBytes())));
                        }
                        else
                        {
                            shape.SkipLastField();
                        }
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new TensorMetadata("", kind, type, dims);
    }

    private static Dimension ReadDimension(CodedInputStream input)
    {
        var dimension = new Dimension(-1, null);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorShapeField.DimValue: dimension = Dimension.Fixed(input.ReadInt64()); break;
                case TensorShapeField.DimParam: dimension = Dimension.Symbolic(input.ReadString()); break;
                default: input.SkipLastField(); break;
            }
        }
        return dimension;
    }
}
