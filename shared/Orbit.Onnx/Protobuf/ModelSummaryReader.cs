using Orbit.Onnx.Protobuf.Schema;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Reads a ModelProto's header, opsets, operators and graph inputs/outputs (ONNX's generated schema).</summary>
public static class ModelSummaryReader
{
    public static ModelSummary ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static ModelSummary Read(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph ?? new GraphProto();
        var initializers = graph.Initializer.Select(t => t.Name).ToArray();
        var initializerSet = initializers.ToHashSet(StringComparer.Ordinal);
        return new ModelSummary(
            proto.IrVersion,
            proto.ProducerName,
            proto.ProducerVersion,
            graph.Name,
            proto.OpsetImport.Select(o => new OperatorSet(o.Domain, o.Version)).ToArray(),
            graph.Input.Where(i => !initializerSet.Contains(i.Name)).Select(Describe).ToArray(),
            graph.Output.Select(Describe).ToArray(),
            initializers)
        {
            OperatorTypes = OperatorTypes(graph).ToHashSet(StringComparer.Ordinal),
        };
    }

    // Nodes of subgraphs (If, Loop, Scan bodies) count too.
    private static IEnumerable<string> OperatorTypes(GraphProto graph) =>
        graph.Node.SelectMany(node => node.Attribute
            .SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Append(a.G))
            .SelectMany(OperatorTypes)
            .Prepend(node.OpType));

    private static TensorMetadata Describe(ValueInfoProto value) =>
        (value.Type is null ? new TensorMetadata("", ValueKind.Unknown, TensorElementType.Undefined, []) : Describe(value.Type))
        with { Name = value.Name };

    private static TensorMetadata Describe(TypeProto type) => type.ValueCase switch
    {
        TypeProto.ValueOneofCase.TensorType => Tensor(ValueKind.Tensor, type.TensorType.ElemType, type.TensorType.Shape),
        TypeProto.ValueOneofCase.SparseTensorType => Tensor(ValueKind.SparseTensor, type.SparseTensorType.ElemType, type.SparseTensorType.Shape),
        TypeProto.ValueOneofCase.SequenceType => Other(ValueKind.Sequence),
        TypeProto.ValueOneofCase.MapType => Other(ValueKind.Map),
        TypeProto.ValueOneofCase.OpaqueType => Other(ValueKind.Opaque),
        TypeProto.ValueOneofCase.OptionalType => Other(ValueKind.Optional),
        _ => Other(ValueKind.Unknown),
    };

    private static TensorMetadata Other(ValueKind kind) => new("", kind, TensorElementType.Undefined, []);

    private static TensorMetadata Tensor(ValueKind kind, int elementType, TensorShapeProto? shape) =>
        new("", kind, (TensorElementType)elementType, shape?.Dim.Select(Dimension).ToArray() ?? []);

    private static Dimension Dimension(TensorShapeProto.Types.Dimension dim) => dim.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Sessions.Dimension.Fixed(dim.DimValue),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Sessions.Dimension.Symbolic(dim.DimParam),
        _ => new Sessions.Dimension(-1, null),
    };
}
