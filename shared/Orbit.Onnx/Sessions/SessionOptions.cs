namespace Orbit.Onnx.Sessions;

public sealed record SessionOptions
{
    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>Threads inside one operator; 0 lets ORT choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads running independent operators (parallel mode only); 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>Tried in order (<c>cuda:0</c>, <c>cpu</c>); the first that starts runs the session.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cpu"];
}
