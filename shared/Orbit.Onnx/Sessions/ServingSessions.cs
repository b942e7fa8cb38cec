namespace Orbit.Onnx.Sessions;

/// <summary>
/// The session settings a model is served with. Workers load models with them and the registry
/// validates uploads with the same ones, so a model that loads at upload loads the same way on
/// every worker (graph optimisation included: an optimiser failure is refused at upload).
/// </summary>
public static class ServingSessions
{
    /// <param name="device"><c>cpu</c> or <c>cuda:N</c>; a CUDA device that cannot start falls back to the CPU.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 lets ONNX Runtime choose.</param>
    public static SessionOptions Options(string device, int intraOpThreads)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        return new SessionOptions
        {
            OptimizationLevel = GraphOptimizationLevel.All,
            IntraOpThreads = intraOpThreads,
            InterOpThreads = 1,
            ExecutionMode = ExecutionMode.Sequential,
            ExecutionProviders = device == "cpu" ? ["cpu"] : [device, "cpu"],
        };
    }
}
