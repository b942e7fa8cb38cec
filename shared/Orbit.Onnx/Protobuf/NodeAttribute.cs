using AttributeType = Orbit.Onnx.Protobuf.Schema.AttributeProto.Types.AttributeType;

namespace Orbit.Onnx.Protobuf;

/// <summary>A node attribute for <see cref="ModelBuilder"/>: int, float, ints, floats, string or tensor.</summary>
public sealed class NodeAttribute
{
    private NodeAttribute(string name, AttributeType type, object value)
    {
        Name = name;
        Type = type;
        Value = value;
    }

    public string Name { get; }

    internal AttributeType Type { get; }

    internal object Value { get; }

    public static NodeAttribute Int(string name, long value) => new(name, AttributeType.Int, value);

    public static NodeAttribute Float(string name, float value) => new(name, AttributeType.Float, value);

    public static NodeAttribute Ints(string name, params long[] values) => new(name, AttributeType.Ints, values);

    public static NodeAttribute Floats(string name, params float[] values) => new(name, AttributeType.Floats, values);

    public static NodeAttribute String(string name, string value) => new(name, AttributeType.String, value);

    public static NodeAttribute Strings(string name, params string[] values) => new(name, AttributeType.Strings, values);

    public static NodeAttribute Tensor(string name, TensorProto value) => new(name, AttributeType.Tensor, value);
}
