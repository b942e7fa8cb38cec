namespace Orbit.Onnx.Conformance;

public sealed record ConformanceOptions
{
    public double RelativeTolerance { get; init; } = 1e-3;

    public double AbsoluteTolerance { get; init; } = 1e-7;

    /// <summary>
    /// Operators whose outputs are sums over many terms (DFT, STFT): an element's error follows the output's
    /// largest magnitude, not its own, so for them atol becomes <see cref="MagnitudeTolerance"/> × max|expected|.
    /// </summary>
    public IReadOnlySet<string> MagnitudeScaledOperators { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "DFT", "STFT" };

    public double MagnitudeTolerance { get; init; } = 1e-5;

    /// <summary>Cases run at once.</summary>
    public int Parallelism { get; init; } = 2;

    public int IntraOpThreads { get; init; } = 1;

    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cpu"];
}
