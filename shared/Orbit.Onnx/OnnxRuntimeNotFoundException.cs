namespace Orbit.Onnx;

/// <summary>ONNX Runtime's native library could not be loaded (the build output lacks it, or it does not fit this machine).</summary>
public sealed class OnnxRuntimeNotFoundException(string message, Exception? inner = null)
    : Exception(message, inner);
