namespace Orbit.Onnx.Conformance;

/// <param name="AllTensors">Whether every input and output of the model is a tensor (not a sequence, map or optional).</param>
public sealed record CaseResult(string Name, string Directory, CaseOutcome Outcome, string Detail, bool AllTensors)
{
    public override string ToString() => Outcome switch
    {
        CaseOutcome.Passed => $"pass         {Name}",
        CaseOutcome.Failed => $"FAIL         {Name}: {Detail}",
        _ => $"unsupported  {Name}: {Detail}",
    };
}
