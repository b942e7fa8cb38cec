namespace Orbit.Gateway.Inference;

/// <summary>
/// Which outputs the client asked for as binary data: each output's own <c>parameters.binary_data</c>, else the
/// request's <c>parameters.binary_data_output</c> (the binary tensor data extension's rule).
/// </summary>
internal sealed record BinaryOutputs(bool All, IReadOnlyDictionary<string, bool> PerOutput)
{
    public bool IsBinary(string output) => PerOutput.TryGetValue(output, out var binary) ? binary : All;

    /// <summary>Null where no output can be binary, so the plain JSON answer needs no look-ups.</summary>
    public static BinaryOutputs? From(bool all, IReadOnlyDictionary<string, bool>? perOutput) =>
        all || perOutput?.Values.Any(b => b) == true ? new BinaryOutputs(all, perOutput ?? new Dictionary<string, bool>()) : null;
}
