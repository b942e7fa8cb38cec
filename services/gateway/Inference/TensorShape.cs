using System.Text.Json;
using Orbit.Contracts.Wire;

namespace Orbit.Gateway.Inference;

/// <summary>
/// An input's declared shape, checked before anything is allocated for it: every dimension a size,
/// the element count and byte size representable and no more than the body could carry, and the
/// data's nesting, if nested, exactly the shape's (as Triton answers 400 for a shape that does not fit).
/// </summary>
internal static class TensorShape
{
    public static (long[]? Shape, long Count, string? Error) Read(JsonElement shapeElement, string name, string datatype, long bodyBytes)
    {
        var shape = new long[shapeElement.GetArrayLength()];
        var d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
            {
                return (null, 0, $"input '{name}' has shape dimension {d} that is not a size (0 or more)");
            }

            shape[d++] = size;
        }

        var count = ElementCount(shape);
        if (count is null)
        {
            return (null, 0, $"input '{name}' has shape [{Describe(shape)}] whose element count overflows");
        }

        // Every element takes at least one byte of the body (a digit, or a quote of an empty string).
        if (count > bodyBytes)
        {
            return (null, 0, $"input '{name}' has shape [{Describe(shape)}] of {count} elements, more than a body of {bodyBytes} bytes can hold");
        }

        var elementSize = OipDatatypes.SizeOf(datatype);
        if (elementSize > 0 && count > Array.MaxLength / elementSize)
        {
            return (null, 0, $"input '{name}' has shape [{Describe(shape)}] of {count} {datatype} elements, more bytes than one tensor can hold");
        }

        return (shape, count.Value, null);
    }

    /// <summary>
    /// Data is either flat (exactly <paramref name="count"/> scalars) or nested exactly as the shape
    /// says: as many levels as it has dimensions, each as long as its dimension.
    /// </summary>
    public static string? CheckData(JsonElement data, long[] shape, long count, string name)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            return count == 1 ? null : Mismatch(name, 1, shape, count);
        }

        var flat = true;
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                flat = false;
                break;
            }
        }

        if (flat)
        {
            var length = data.GetArrayLength();
            return length == count ? null : Mismatch(name, length, shape, count);
        }

        return CheckNested(data, shape, 0, name, []);
    }

    private static string? CheckNested(JsonElement element, long[] shape, int depth, string name, List<int> at)
    {
        if (depth == shape.Length)
        {
            return element.ValueKind == JsonValueKind.Array
                ? $"input '{name}' has 'data' nested deeper than its shape [{Describe(shape)}] at {Path(at)}"
                : null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return $"input '{name}' has 'data' nested {depth} deep at {Path(at)} but its shape [{Describe(shape)}] has {shape.Length} dimensions";
        }

        var length = element.GetArrayLength();
        if (length != shape[depth])
        {
            return $"input '{name}' has {length} entries in 'data' at {Path(at)} but its shape [{Describe(shape)}] needs {shape[depth]} in dimension {depth}";
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            at.Add(i++);
            if (CheckNested(item, shape, depth + 1, name, at) is { } error)
            {
                return error;
            }

            at.RemoveAt(at.Count - 1);
        }

        return null;
    }

    /// <summary>The product of the dimensions, or null where it overflows; any zero dimension makes it zero.</summary>
    internal static long? ElementCount(long[] shape)
    {
        if (Array.IndexOf(shape, 0L) >= 0)
        {
            return 0;
        }

        long count = 1;
        foreach (var size in shape)
        {
            if (count > long.MaxValue / size)
            {
                return null;
            }

            count *= size;
        }

        return count;
    }

    private static string Mismatch(string name, long written, long[] shape, long count) =>
        $"input '{name}' has {written} elements in 'data' but its shape [{Describe(shape)}] needs {count}";

    private static string Path(List<int> at) => "data" + string.Concat(at.Select(i => $"[{i}]"));

    public static string Describe(long[] shape) => string.Join(",", shape);
}
