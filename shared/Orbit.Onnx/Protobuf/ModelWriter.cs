using Google.Protobuf;

namespace Orbit.Onnx.Protobuf;

/// <summary>Serializes a <see cref="ModelBuilder"/> as ModelProto with hand-written field numbers.</summary>
internal static class ModelWriter
{
    public static byte[] Write(ModelBuilder model) => Message(output =>
    {
        output.WriteTag(ModelProtoField.IrVersion, WireFormat.WireType.Varint);
        output.WriteInt64(model.IrVersion);
        WriteString(output, ModelProtoField.ProducerName, model.ProducerName);
        WriteString(output, ModelProtoField.ProducerVersion, model.ProducerVersion);
        WriteMessage(output, ModelProtoField.Graph, graph => WriteGraph(graph, model));
        WriteMessage(output, ModelProtoField.OpsetImport, opset =>
        {
            WriteString(opset, OperatorSetIdField.Domain, "");
            opset.WriteTag(OperatorSetIdField.Version, WireFormat.WireType.Varint);
            opset.WriteInt64(model.Opset);
        });
    });

    private static void WriteGraph(CodedOutputStream output, ModelBuilder model)
    {
        foreach (var node in model.Nodes)
        {
            WriteMessage(output, GraphProtoField.Node, n => WriteNode(n, node));
        }
        WriteString(output, GraphProtoField.Name, model.GraphName);
        foreach (var initializer in model.Initializers)
        {
            WriteMessage(output, GraphProtoField.Initializer, t => TensorProtoWriter.WriteTo(t, initializer, TensorProtoEncoding.RawData));
        }
        foreach (var input in model.Inputs)
        {
            WriteMessage(output, GraphProtoField.Input, v => WriteValueInfo(v, input));
        }
        foreach (var value in model.Outputs)
        {
            WriteMessage(output, GraphProtoField.Output, v => WriteValueInfo(v, value));
        }
    }

    private static void WriteNode(CodedOutputStream output, ModelBuilder.NodeSpec node)
    {
        foreach (var input in node.Inputs)
        {
            WriteString(output, NodeProtoField.Input, input);
        }
        foreach (var value in node.Outputs)
        {
            WriteString(output, NodeProtoField.Output, value);
        }
        WriteString(output, NodeProtoField.Name, node.Name);
        WriteString(output, NodeProtoField.OpType, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            WriteMessage(output, NodeProtoField.Attribute, a => WriteAttribute(a, attribute));
        }
        if (node.Domain.Length > 0)
        {
            WriteString(output, NodeProtoField.Domain, node.Domain);
        }
    }

    private static void WriteAttribute(CodedOutputStream output, NodeAttribute attribute)
    {
        WriteString(output, AttributeProtoField.Name, attribute.Name);
        switch (attribute.Value)
        {
            case float f:
                output.WriteTag(AttributeProtoField.F, WireFormat.WireType.Fixed32);
                output.WriteFloat(f);
                break;
            case long i:
                output.WriteTag(AttributeProtoField.I, WireFormat.WireType.Varint);
                output.WriteInt64(i);
                break;
            case string s:
                output.WriteTag(AttributeProtoField.S, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFromUtf8(s));
                break;
            case TensorProto t:
                WriteMessage(output, AttributeProtoField.T, m => TensorProtoWriter.WriteTo(m, t, TensorProtoEncoding.RawData));
                break;
            case float[] floats:
                output.WriteTag(AttributeProtoField.Floats, WireFormat.WireType.LengthDelimited);
                output.WriteLength(floats.Length * sizeof(float));
                foreach (var f in floats)
                {
                    output.WriteFloat(f);
                }
                break;
            case long[] ints:
                output.WriteTag(AttributeProtoField.Ints, WireFormat.WireType.LengthDelimited);
                output.WriteLength(ints.Sum(CodedOutputStream.ComputeInt64Size));
                foreach (var i in ints)
                {
                    output.WriteInt64(i);
                }
                break;
            case string[] strings:
                foreach (var s in strings)
                {
                    output.WriteTag(AttributeProtoField.Strings, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFromUtf8(s));
                }
                break;
        }
        output.WriteTag(AttributeProtoField.Type, WireFormat.WireType.Varint);
        output.WriteInt32((int)attribute.Type);
    }

    private static void WriteValueInfo(CodedOutputStream output, ModelBuilder.ValueSpec value)
    {
        WriteString(output, ValueInfoField.Name, value.Name);
        WriteMessage(output, ValueInfoField.Type, type =>
            WriteMessage(type, TypeProtoField.TensorType, tensor =>
            {
                tensor.WriteTag(TensorTypeField.ElemType, WireFormat.WireType.Varint);
                tensor.WriteInt32((int)value.Type);
                WriteMessage(tensor, TensorTypeField.Shape, shape =>
                {
                    foreach (var dim in value.Shape)
                    {
                        WriteMessage(shape, TensorShapeField.Dim, d =>
                        {
                            if (dim.IsFixed)
                            {
                                d.WriteTag(TensorShapeField.DimValue, WireFormat.WireType.Varint);
                                d.WriteInt64(dim.Size);
                            }
                            else if (!string.IsNullOrEmpty(dim.Name))
                            {
                                WriteString(d, TensorShapeField.DimParam, dim.Name);
                            }
                        });
                    }
                });
            }));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    // Protobuf prefixes a sub-message with its length, so each one is written to its own buffer first.
    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(Message(write)));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
