namespace Orbit.Onnx;

/// <summary>An error reported by ONNX Runtime, with ORT's own code and message.</summary>
public sealed class OnnxRuntimeException(OrtErrorCode code, string message)
    : Exception($"[{code}] {message}")
{
    public OrtErrorCode Code { get; } = code;

    public string OrtMessage { get; } = message;
}
