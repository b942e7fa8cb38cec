using System.Globalization;

namespace Orbit.Onnx.Conformance;

/// <summary>Compares an expected value with what ORT produced, element by element, as <see cref="TensorComparison"/> does.</summary>
internal static class DataValueComparison
{
    /// <returns>null when equal, else what differs.</returns>
    public static string? Difference(DataValue expected, DataValue actual, double rtol, double atol) => (expected, actual) switch
    {
        // ORT hands an optional that holds a value out as that value.
        (DataOptional { Value: { } contained }, _) => Difference(contained, actual, rtol, atol),
        (DataOptional { Value: null }, _) => $"expected None, got {Describe(actual)}",
        (DataTensor e, DataTensor a) => TensorComparison.Difference(e.Tensor, a.Tensor, rtol, atol),
        (DataSequence e, DataSequence a) => SequenceDifference(e, a, rtol, atol),
        (DataMap e, DataMap a) => TensorComparison.Difference(e.Keys, a.Keys, 0, 0) is { } keys
            ? "keys: " + keys
            : SequenceDifference(e.Values, a.Values, rtol, atol),
        _ => $"expected {Describe(expected)}, got {Describe(actual)}",
    };

    /// <summary>The largest |element| of every float tensor in <paramref name="value"/>.</summary>
    public static double MaxMagnitude(DataValue value) => value switch
    {
        DataTensor t => TensorComparison.MaxMagnitude(t.Tensor),
        DataSequence s => s.Items.Select(MaxMagnitude).DefaultIfEmpty(0).Max(),
        DataMap m => MaxMagnitude(m.Values),
        DataOptional { Value: { } v } => MaxMagnitude(v),
        _ => 0,
    };

    private static string? SequenceDifference(DataSequence expected, DataSequence actual, double rtol, double atol)
    {
        if (expected.Items.Count != actual.Items.Count)
        {
            return string.Create(CultureInfo.InvariantCulture, $"expected a sequence of {expected.Items.Count}, got {actual.Items.Count}");
        }
        for (var i = 0; i < expected.Items.Count; i++)
        {
            if (Difference(expected.Items[i], actual.Items[i], rtol, atol) is { } difference)
            {
                return string.Create(CultureInfo.InvariantCulture, $"[{i}] {difference}");
            }
        }
        return null;
    }

    private static string Describe(DataValue value) => value switch
    {
        DataTensor t => "tensor " + t.Tensor,
        DataSequence s => $"sequence of {s.Items.Count}",
        DataMap => "map",
        DataOptional { Value: null } => "None",
        _ => "optional",
    };
}
