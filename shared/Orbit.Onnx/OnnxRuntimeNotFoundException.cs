namespace Orbit.Onnx;

/// <summary>libonnxruntime.so could not be found or loaded.</summary>
public sealed class OnnxRuntimeNotFoundException(string message, Exception? inner = null)
    : Exception(message, inner);
