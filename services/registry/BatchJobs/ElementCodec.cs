using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Numbers to and from the little-endian bytes of an Open Inference Protocol datatype: cells of a CSV,
/// Parquet or JSONL row become tensor bytes, and a model's output bytes become output cells.
/// </summary>
internal static class ElementCodec
{
    private static readonly string[] Supported = ["FP32", "FP64", "INT64", "INT32", "INT16", "INT8", "UINT8", "UINT16", "UINT32", "UINT64", "BOOL"];

    public static bool IsSupported(string datatype) => Supported.Contains(datatype, StringComparer.Ordinal);

    public static string SupportedList => string.Join(", ", Supported);

    public static int Size(string datatype) => Orbit.Contracts.Wire.OipDatatypes.SizeOf(datatype);

    /// <summary>Writes the number <paramref name="text"/> as one element; false when it is not a number of that type.</summary>
    public static bool TryWrite(string datatype, ReadOnlySpan<char> text, Span<byte> destination)
    {
        text = text.Trim();
        if (datatype == "FP32" && TryPlainDecimal(text, 7, out var mantissa, out var scale, out var negative) && scale <= 10)
        {
            // Both numbers are exact in float and IEEE division rounds once: the same float as float.Parse (Clinger's fast path).
            var f = mantissa / Pow10Single[scale];
            BinaryPrimitives.WriteSingleLittleEndian(destination, negative ? -f : f);
            return true;
        }

        if (datatype == "FP64" && TryPlainDecimal(text, 15, out mantissa, out scale, out negative) && scale <= 22)
        {
            var d = mantissa / Pow10Double[scale];
            BinaryPrimitives.WriteDoubleLittleEndian(destination, negative ? -d : d);
            return true;
        }

        var invariant = CultureInfo.InvariantCulture;
        const NumberStyles Float = NumberStyles.Float;
        const NumberStyles Integer = NumberStyles.Integer;
        switch (datatype)
        {
            case "FP32" when float.TryParse(text, Float, invariant, out var f):
                BinaryPrimitives.WriteSingleLittleEndian(destination, f);
                return true;
            case "FP64" when double.TryParse(text, Float, invariant, out var d):
                BinaryPrimitives.WriteDoubleLittleEndian(destination, d);
                return true;
            case "INT64" when long.TryParse(text, Integer, invariant, out var l):
                BinaryPrimitives.WriteInt64LittleEndian(destination, l);
                return true;
            case "INT32" when int.TryParse(text, Integer, invariant, out var i):
                BinaryPrimitives.WriteInt32LittleEndian(destination, i);
                return true;
            case "INT16" when short.TryParse(text, Integer, invariant, out var s):
                BinaryPrimitives.WriteInt16LittleEndian(destination, s);
                return true;
            case "INT8" when sbyte.TryParse(text, Integer, invariant, out var sb):
                destination[0] = unchecked((byte)sb);
                return true;
            case "UINT8" when byte.TryParse(text, Integer, invariant, out var b):
                destination[0] = b;
                return true;
            case "UINT16" when ushort.TryParse(text, Integer, invariant, out var us):
                BinaryPrimitives.WriteUInt16LittleEndian(destination, us);
                return true;
            case "UINT32" when uint.TryParse(text, Integer, invariant, out var ui):
                BinaryPrimitives.WriteUInt32LittleEndian(destination, ui);
                return true;
            case "UINT64" when ulong.TryParse(text, Integer, invariant, out var ul):
                BinaryPrimitives.WriteUInt64LittleEndian(destination, ul);
                return true;
            case "BOOL":
                var value = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1" ? (byte)1
                    : text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0" ? (byte)0 : (byte)2;
                destination[0] = value;
                return value != 2;
            default:
                return false;
        }
    }

    private static readonly float[] Pow10Single = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    private static readonly double[] Pow10Double =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// The common cell of a numeric CSV, <c>[-+]digits[.digits]</c> with at most <paramref name="maxDigits"/> digits:
    /// its digits as an integer and how many of them follow the point. Anything else (exponents, more digits, "NaN")
    /// is left to the full parser.
    /// </summary>
    private static bool TryPlainDecimal(ReadOnlySpan<char> text, int maxDigits, out long mantissa, out int scale, out bool negative)
    {
        mantissa = 0;
        scale = 0;
        negative = false;
        var i = 0;
        if (text.Length > 0 && text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i = 1;
        }

        var digits = 0;
        var point = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                if (++digits > maxDigits)
                {
                    return false;
                }

                mantissa = mantissa * 10 + (c - '0');
            }
            else if (c == '.' && point < 0)
            {
                point = digits;
            }
            else
            {
                return false;
            }
        }

        scale = point < 0 ? 0 : digits - point;
        return digits > 0;
    }

    /// <summary>Writes a JSON number (or boolean for BOOL) as one element.</summary>
    public static bool TryWrite(string datatype, JsonElement element, Span<byte> destination) => element.ValueKind switch
    {
        JsonValueKind.Number => TryWrite(datatype, element.GetRawText(), destination),
        JsonValueKind.True or JsonValueKind.False when datatype == "BOOL" => TryWrite(datatype, element.GetRawText(), destination),
        _ => false,
    };

    /// <summary>One element as text: the shortest text that reads back as the same value.</summary>
    public static string Format(string datatype, ReadOnlySpan<byte> source)
    {
        var invariant = CultureInfo.InvariantCulture;
        return datatype switch
        {
            "FP32" => BinaryPrimitives.ReadSingleLittleEndian(source).ToString(invariant),
            "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(source).ToString(invariant),
            "INT64" => BinaryPrimitives.ReadInt64LittleEndian(source).ToString(invariant),
            "INT32" => BinaryPrimitives.ReadInt32LittleEndian(source).ToString(invariant),
            "INT16" => BinaryPrimitives.ReadInt16LittleEndian(source).ToString(invariant),
            "INT8" => unchecked((sbyte)source[0]).ToString(invariant),
            "UINT8" => source[0].ToString(invariant),
            "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(source).ToString(invariant),
            "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(source).ToString(invariant),
            "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(source).ToString(invariant),
            "BOOL" => source[0] != 0 ? "true" : "false",
            _ => throw new NotSupportedException($"datatype {datatype}"),
        };
    }
}
