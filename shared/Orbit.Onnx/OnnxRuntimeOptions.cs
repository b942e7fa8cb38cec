using Microsoft.Extensions.Logging;

namespace Orbit.Onnx;

public sealed class OnnxRuntimeOptions
{
    /// <summary>Receives ONNX Runtime's own log lines.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Least severe ORT message passed on. Fixed once the environment exists.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
