using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Protobuf.Schema;
using Orbit.Onnx.Sessions;
using TensorProto = Orbit.Onnx.Protobuf.TensorProto;

namespace Orbit.Onnx.Conformance;

/// <summary>Reads a test data file (input_K.pb, output_K.pb) as the message its declared kind calls for.</summary>
internal static class DataValueProtos
{
    public static DataValue ReadFile(string path, ValueKind declared)
    {
        var bytes = File.ReadAllBytes(path);
        return declared switch
        {
            ValueKind.Tensor => new DataTensor(TensorProtoReader.Read(bytes)),
            ValueKind.Sequence => Sequence(SequenceProto.Parser.ParseFrom(bytes)),
            ValueKind.Map => Map(MapProto.Parser.ParseFrom(bytes)),
            ValueKind.Optional => Optional(OptionalProto.Parser.ParseFrom(bytes)),
            _ => throw new NotSupportedException($"{Path.GetFileName(path)} is a {declared.ToString().ToLowerInvariant()} value, which is not supported."),
        };
    }

    /// <summary>The name a data file gives its value (empty when it has none).</summary>
    public static string NameOf(string path, ValueKind declared)
    {
        var bytes = File.ReadAllBytes(path);
        return declared switch
        {
            ValueKind.Sequence => SequenceProto.Parser.ParseFrom(bytes).Name,
            ValueKind.Map => MapProto.Parser.ParseFrom(bytes).Name,
            ValueKind.Optional => OptionalProto.Parser.ParseFrom(bytes).Name,
            _ => Protobuf.Schema.TensorProto.Parser.ParseFrom(bytes).Name,
        };
    }

    private static DataSequence Sequence(SequenceProto proto) => (SequenceProto.Types.DataType)proto.ElemType switch
    {
        SequenceProto.Types.DataType.Tensor => new DataSequence(proto.TensorValues.Select(t => (DataValue)new DataTensor(TensorProtoReader.FromSchema(t))).ToArray()),
        SequenceProto.Types.DataType.Sequence => new DataSequence(proto.SequenceValues.Select(s => (DataValue)Sequence(s)).ToArray()),
        SequenceProto.Types.DataType.Map => new DataSequence(proto.MapValues.Select(m => (DataValue)Map(m)).ToArray()),
        SequenceProto.Types.DataType.Optional => new DataSequence(proto.OptionalValues.Select(o => (DataValue)Optional(o)).ToArray()),
        // An empty sequence may leave elem_type unset.
        SequenceProto.Types.DataType.Undefined when proto.TensorValues.Count == 0 => new DataSequence([]),
        var other => throw new NotSupportedException($"A sequence of {other} is not supported."),
    };

    private static DataMap Map(MapProto proto)
    {
        var count = proto.StringKeys.Count > 0 ? proto.StringKeys.Count : proto.Keys.Count;
        var keys = proto.StringKeys.Count > 0
            ? TensorProto.FromStrings("", proto.StringKeys.Select(k => k.ToStringUtf8()).ToArray(), count)
            : TensorProto.FromBytes("", (Tensors.TensorElementType)proto.KeyType,
                KeyBytes((Tensors.TensorElementType)proto.KeyType, proto.Keys), count);
        return new DataMap(keys, Sequence(proto.Values));
    }

    private static byte[] KeyBytes(Tensors.TensorElementType type, IEnumerable<long> keys) => type switch
    {
        Tensors.TensorElementType.Int64 => keys.SelectMany(BitConverter.GetBytes).ToArray(),
        Tensors.TensorElementType.Int32 => keys.SelectMany(k => BitConverter.GetBytes((int)k)).ToArray(),
        _ => throw new NotSupportedException($"Map keys of type {Tensors.ElementTypes.Name(type)} are not supported."),
    };

    private static DataOptional Optional(OptionalProto proto) => (OptionalProto.Types.DataType)proto.ElemType switch
    {
        OptionalProto.Types.DataType.Tensor when proto.TensorValue is not null => new DataOptional(new DataTensor(TensorProtoReader.FromSchema(proto.TensorValue))),
        OptionalProto.Types.DataType.Sequence when proto.SequenceValue is not null => new DataOptional(Sequence(proto.SequenceValue)),
        OptionalProto.Types.DataType.Map when proto.MapValue is not null => new DataOptional(Map(proto.MapValue)),
        OptionalProto.Types.DataType.Optional when proto.OptionalValue is not null => new DataOptional(Optional(proto.OptionalValue)),
        _ => new DataOptional(null),
    };
}
