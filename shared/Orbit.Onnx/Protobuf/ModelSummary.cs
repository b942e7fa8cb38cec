using Orbit.Onnx.Sessions;

namespace Orbit.Onnx.Protobuf;

public sealed record OperatorSet(string Domain, long Version)
{
    public override string ToString() => $"{(Domain.Length == 0 ? "ai.onnx" : Domain)} {Version}";
}

/// <summary>What a ModelProto declares, read without loading it into ORT.</summary>
public sealed record ModelSummary(
    long IrVersion,
    string ProducerName,
    string ProducerVersion,
    string GraphName,
    IReadOnlyList<OperatorSet> Opsets,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs,
    IReadOnlyList<string> InitializerNames)
{
    /// <summary>Every op_type the graph and its subgraphs use.</summary>
    public IReadOnlySet<string> OperatorTypes { get; init; } = new HashSet<string>();
}
