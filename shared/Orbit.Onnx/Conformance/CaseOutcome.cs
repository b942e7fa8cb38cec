namespace Orbit.Onnx.Conformance;

public enum CaseOutcome
{
    Passed,
    Failed,
    Unsupported,
}
