namespace Orbit.Onnx.Conformance;

public sealed record ConformanceOptions
{
    public double RelativeTolerance { get; init; } = 1e-3;

    public double AbsoluteTolerance { get; init; } = 1e-7;

    /// <summary>Cases run at once.</summary>
    public int Parallelism { get; init; } = 2;

    public int IntraOpThreads { get; init; } = 1;

    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cpu"];
}
