using Microsoft.Extensions.Logging;

namespace Orbit.Onnx;

public sealed class OnnxRuntimeOptions
{
    /// <summary>Path to libonnxruntime.so.1; ORBIT_ONNXRUNTIME overrides it.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>Receives ONNX Runtime's own log lines.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Least severe ORT message passed on. Fixed once the environment exists.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
