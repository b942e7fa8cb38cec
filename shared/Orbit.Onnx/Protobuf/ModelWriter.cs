using Google.Protobuf;
using Orbit.Onnx.Protobuf.Schema;
using AttributeType = Orbit.Onnx.Protobuf.Schema.AttributeProto.Types.AttributeType;

namespace Orbit.Onnx.Protobuf;

/// <summary>Serializes a <see cref="ModelBuilder"/> as ONNX's ModelProto (ONNX's generated schema).</summary>
internal static class ModelWriter
{
    public static byte[] Write(ModelBuilder model)
    {
        var proto = new ModelProto
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Graph = Graph(model),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = model.Opset });
        foreach (var (domain, version) in model.DomainOpsets)
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        if (model.Nodes.FirstOrDefault(n => n.Domain.Length > 0 && !model.DomainOpsets.ContainsKey(n.Domain)) is { } orphan)
        {
            throw new InvalidOperationException($"Node '{orphan.Name}' is in domain '{orphan.Domain}', which the model does not import: call ImportOpset first.");
        }

        return proto.ToByteArray();
    }

    private static GraphProto Graph(ModelBuilder model)
    {
        var graph = new GraphProto { Name = model.GraphName };
        graph.Node.AddRange(model.Nodes.Select(Node));
        graph.Initializer.AddRange(model.Initializers.Select(t => TensorProtoWriter.ToSchema(t, TensorProtoEncoding.RawData)));
        graph.Input.AddRange(model.Inputs.Select(ValueInfo));
        graph.Output.AddRange(model.Outputs.Select(ValueInfo));
        return graph;
    }

    private static NodeProto Node(ModelBuilder.NodeSpec spec)
    {
        var node = new NodeProto { Name = spec.Name, OpType = spec.OpType };
        node.Input.AddRange(spec.Inputs);
        node.Output.AddRange(spec.Outputs);
        node.Attribute.AddRange(spec.Attributes.Select(Attribute));
        if (spec.Domain.Length > 0)
        {
            node.Domain = spec.Domain;
        }
        return node;
    }

    private static AttributeProto Attribute(NodeAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name, Type = attribute.Type };
        switch (attribute.Value)
        {
            case float f:
                proto.F = f;
                break;
            case long i:
                proto.I = i;
                break;
            case string s:
                proto.S = ByteString.CopyFromUtf8(s);
                break;
            case TensorProto t:
                proto.T = TensorProtoWriter.ToSchema(t, TensorProtoEncoding.RawData);
                break;
            case float[] floats:
                proto.Floats.AddRange(floats);
                break;
            case long[] ints:
                proto.Ints.AddRange(ints);
                break;
            case string[] strings:
                proto.Strings.AddRange(strings.Select(ByteString.CopyFromUtf8));
                break;
            default:
                throw new NotSupportedException($"Attribute '{attribute.Name}' of type {attribute.Type} is not supported.");
        }
        return proto;
    }

    private static ValueInfoProto ValueInfo(ModelBuilder.ValueSpec value)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in value.Shape)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (dim.IsFixed)
            {
                d.DimValue = dim.Size;
            }
            else if (!string.IsNullOrEmpty(dim.Name))
            {
                d.DimParam = dim.Name;
            }
            shape.Dim.Add(d);
        }
        return new ValueInfoProto
        {
            Name = value.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)value.Type, Shape = shape } },
        };
    }
}
