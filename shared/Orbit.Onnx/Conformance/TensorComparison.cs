using System.Globalization;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Conformance;

/// <summary>
/// Compares tensors the way ONNX's backend tests do: floats within |a - e| &lt;= atol + rtol * |e| (NaN equals NaN),
/// integers, bools and strings exactly. Reports the worst element.
/// </summary>
public static class TensorComparison
{
    /// <returns>null when equal, else what differs.</returns>
    public static string? Difference(TensorProto expected, TensorProto actual, double relativeTolerance, double absoluteTolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.ElementType != actual.ElementType)
        {
            return $"expected {ElementTypes.Name(expected.ElementType)}, got {ElementTypes.Name(actual.ElementType)}";
        }
        if (!expected.Dims.SequenceEqual(actual.Dims))
        {
            return $"expected shape {ElementTypes.FormatShape(expected.Dims.ToArray())}, got {ElementTypes.FormatShape(actual.Dims.ToArray())}";
        }
        if (expected.ElementType == TensorElementType.String)
        {
            for (var i = 0; i < expected.Strings.Count; i++)
            {
                if (expected.Strings[i] != actual.Strings[i])
                {
                    return $"[{i}] expected \"{expected.Strings[i]}\", got \"{actual.Strings[i]}\"";
                }
            }
            return null;
        }
        return ElementTypes.IsFloatingPoint(expected.ElementType)
            ? FloatDifference(ToDoubles(expected), ToDoubles(actual), relativeTolerance, absoluteTolerance,
                single: expected.ElementType != TensorElementType.Double)
            : ExactDifference(expected, actual);
    }

    /// <summary>The largest |element| of a float tensor (NaN and infinities skipped); 0 for other types.</summary>
    public static double MaxMagnitude(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!ElementTypes.IsFloatingPoint(tensor.ElementType))
        {
            return 0;
        }
        var max = 0.0;
        foreach (var value in ToDoubles(tensor))
        {
            if (double.IsFinite(value))
            {
                max = Math.Max(max, Math.Abs(value));
            }
        }
        return max;
    }

    private static string? FloatDifference(double[] e, double[] a, double rtol, double atol, bool single)
    {
        var worst = -1;
        var worstExcess = 0.0;
        var mismatches = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Excess(e[i], a[i], rtol, atol);
            if (excess > 0)
            {
                mismatches++;
                if (excess > worstExcess)
                {
                    worstExcess = excess;
                    worst = i;
                }
            }
        }
        return worst < 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{mismatches} of {e.Length} elements differ; worst [{worst}] expected {Format(e[worst], single)}, got {Format(a[worst], single)}");
    }

    private static string Format(double value, bool single) =>
        single ? ((float)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string? ExactDifference(TensorProto expected, TensorProto actual)
    {
        var size = ElementTypes.SizeOf(expected.ElementType);
        var e = expected.RawData;
        var a = actual.RawData;
        var first = -1;
        var mismatches = 0;
        for (var i = 0; i < e.Length / size; i++)
        {
            if (!e.AsSpan(i * size, size).SequenceEqual(a.AsSpan(i * size, size)))
            {
                mismatches++;
                first = first < 0 ? i : first;
            }
        }
        return first < 0
            ? null
            : $"{mismatches} of {e.Length / size} elements differ; first [{first}] expected {Format(expected, first)}, got {Format(actual, first)}";
    }

    private static string Format(TensorProto tensor, int index) => tensor.ElementType switch
    {
        TensorElementType.Int8 => tensor.AsSpan<sbyte>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Int16 => tensor.AsSpan<short>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Int32 => tensor.AsSpan<int>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Int64 => tensor.AsSpan<long>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.UInt8 => tensor.AsSpan<byte>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.UInt16 => tensor.AsSpan<ushort>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.UInt32 => tensor.AsSpan<uint>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.UInt64 => tensor.AsSpan<ulong>()[index].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Bool => tensor.RawData[index] != 0 ? "true" : "false",
        _ => "?",
    };

    /// <summary>How far past the tolerance an element is; 0 when within it.</summary>
    private static double Excess(double expected, double actual, double rtol, double atol)
    {
        if (expected.Equals(actual))
        {
            return 0;
        }
        if (double.IsNaN(expected) || double.IsNaN(actual) || double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return double.PositiveInfinity;
        }
        var difference = Math.Abs(actual - expected);
        var allowed = atol + rtol * Math.Abs(expected);
        return difference <= allowed ? 0 : difference / allowed;
    }

    private static double[] ToDoubles(TensorProto tensor) => tensor.ElementType switch
    {
        TensorElementType.Float => Convert(tensor.AsSpan<float>(), v => v),
        TensorElementType.Double => tensor.AsSpan<double>().ToArray(),
        TensorElementType.Float16 => Convert(tensor.AsSpan<Half>(), v => (double)v),
        _ => Convert(tensor.AsSpan<BFloat16>(), v => (float)v),
    };

    private static double[] Convert<T>(ReadOnlySpan<T> values, Func<T, double> convert)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }
        return result;
    }
}
