namespace Orbit.Onnx.Sessions;

public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}
