using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Builds a single-graph ONNX model of standard ops and writes it as ModelProto bytes.</summary>
public sealed class ModelBuilder(int opset = ModelBuilder.DefaultOpset, long irVersion = ModelBuilder.DefaultIrVersion)
{
    public const int DefaultOpset = 17;
    public const long DefaultIrVersion = 8;

    internal readonly List<ValueSpec> Inputs = [];
    internal readonly List<ValueSpec> Outputs = [];
    internal readonly List<NodeSpec> Nodes = [];
    internal readonly List<TensorProto> Initializers = [];
    internal readonly Dictionary<string, int> DomainOpsets = new(StringComparer.Ordinal);

    public int Opset { get; } = opset;

    public long IrVersion { get; } = irVersion;

    public string ProducerName { get; init; } = "orbit";

    public string ProducerVersion { get; init; } = "1";

    public string GraphName { get; init; } = "graph";

    /// <summary>Imports another operator domain (for example <c>ai.onnx.ml</c>, version 3) for nodes that name it.</summary>
    public ModelBuilder ImportOpset(string domain, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        DomainOpsets[domain] = version;
        return this;
    }

    public ModelBuilder AddInput(string name, TensorElementType type, params ReadOnlySpan<Dimension> shape)
    {
        Inputs.Add(new ValueSpec(name, type, shape.ToArray()));
        return this;
    }

    public ModelBuilder AddOutput(string name, TensorElementType type, params ReadOnlySpan<Dimension> shape)
    {
        Outputs.Add(new ValueSpec(name, type, shape.ToArray()));
        return this;
    }

    /// <summary>A constant the graph holds; nodes refer to it by its name.</summary>
    public ModelBuilder AddInitializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Name.Length == 0)
        {
            throw new ArgumentException("An initializer needs a name.", nameof(tensor));
        }
        Initializers.Add(tensor);
        return this;
    }

    public ModelBuilder AddNode(
        string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params IReadOnlyList<NodeAttribute> attributes) =>
        AddNode(opType, inputs, outputs, attributes, name: null, domain: null);

    public ModelBuilder AddNode(
        string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<NodeAttribute> attributes,
        string? name, string? domain)
    {
        Nodes.Add(new NodeSpec(opType, [.. inputs], [.. outputs], [.. attributes], name ?? $"{opType}_{Nodes.Count}", domain ?? ""));
        return this;
    }

    public byte[] ToBytes() => ModelWriter.Write(this);

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    internal sealed record ValueSpec(string Name, TensorElementType Type, Dimension[] Shape);

    internal sealed record NodeSpec(
        string OpType, string[] Inputs, string[] Outputs, NodeAttribute[] Attributes, string Name, string Domain);
}
