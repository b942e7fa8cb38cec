using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using csFastFloat;

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
        // csFastFloat (Lemire's fast_float) gives the same correctly rounded value as float.Parse several times faster;
        // it also reads a number at the start of "1.5abc", so only a whole-cell read counts, the rest goes to the runtime.
        if (datatype == "FP32" && FastFloatParser.TryParseFloat(text, out var consumed, out var single) && consumed == text.Length)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination, single);
            return true;
        }

        if (datatype == "FP64" && FastDoubleParser.TryParseDouble(text, out consumed, out var @double) && consumed == text.Length)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination, @double);
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

    /// <summary>
    /// Writes the number in the UTF-8 cell <paramref name="utf8"/> as one element. FP32, FP64 and INT64 cells are read
    /// from the bytes; any other (another datatype, other than ASCII spaces around the number, or not a number) is
    /// decoded and read as text, so a cell means the same either way.
    /// </summary>
    public static bool TryWrite(string datatype, ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var cell = utf8[System.Text.Ascii.Trim(utf8)];
        if (datatype == "FP32" && FastFloatParser.TryParseFloat(cell, out var consumed, out var single) && consumed == cell.Length)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination, single);
            return true;
        }

        if (datatype == "FP64" && FastDoubleParser.TryParseDouble(cell, out consumed, out var @double) && consumed == cell.Length)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination, @double);
            return true;
        }

        if (datatype == "INT64" && long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, integer);
            return true;
        }

        return TryWrite(datatype, System.Text.Encoding.UTF8.GetString(utf8), destination);
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
