using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Hosting.Buffers;
using Parquet;
using Parquet.Schema;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Merges a job's parts, in chunk order, into one output file: <c>row</c> (the input's 0-based row index), the
/// kept columns, then the output columns. CSV, JSONL (one object per row) or Parquet (one row group per part).
/// A CSV or JSONL part is written as it arrives already in the output's form (<see cref="WriteFragmentAsync"/>), so
/// the merge at the end only copies bytes (<see cref="ConcatenateAsync"/>).
/// </summary>
internal static class OutputMerger
{
    /// <summary>A fragment's first buffer; it grows (from the pool) for a larger part.</summary>
    private const int FragmentBuffer = 1 << 16;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>What ends a CSV line: <see cref="Environment.NewLine"/>, as a <see cref="TextWriter"/> writes it.</summary>
    private static readonly byte[] NewLine = Utf8.GetBytes(Environment.NewLine);

    private static readonly JsonEncodedText RowName = JsonEncodedText.Encode("row");

    /// <summary>Whether a part of this output format is written as a fragment of the output (CSV, JSONL) rather than as JSON (Parquet).</summary>
    public static bool WritesFragments(string format) => format is BatchFormat.Csv or BatchFormat.Jsonl;

    /// <summary>One part in the output's own form: for CSV, its header line then its rows; for JSONL, its rows.</summary>
    public static void WriteFragment(string format, PooledBufferWriter buffer, IReadOnlyList<string> keep, PartFile part)
    {
        if (format == BatchFormat.Csv)
        {
            WriteCsvHeader(buffer, keep, part.Columns);
            WriteCsvRows(buffer, part);
        }
        else
        {
            WriteJsonlRows(buffer, keep, part);
        }
    }

    /// <inheritdoc cref="WriteFragment"/>
    public static async Task WriteFragmentAsync(string format, Stream stream, IReadOnlyList<string> keep, PartFile part, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter(FragmentBuffer);
        WriteFragment(format, buffer, keep, part);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// The output from fragments in chunk order: their bytes one after another, and for CSV the header once (each
    /// fragment's first line; <c>row</c> and the kept columns alone when there is no part).
    /// </summary>
    public static async Task ConcatenateAsync(string format, Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Stream>> fragments, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var open in fragments)
        {
            await using var fragment = open();
            if (format == BatchFormat.Csv && !first)
            {
                SkipLine(fragment);
            }

            await fragment.CopyToAsync(stream, cancellationToken);
            first = false;
        }

        if (first && format == BatchFormat.Csv)
        {
            await WriteTextAsync(format, stream, keep, [], cancellationToken);
        }
    }

    private static void SkipLine(Stream stream)
    {
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
        }
    }

    public static async Task WriteAsync(string format, Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Task<PartFile>>> parts, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case BatchFormat.Csv or BatchFormat.Jsonl:
                await WriteTextAsync(format, stream, keep, parts, cancellationToken);
                break;
            default:
                await WriteParquetAsync(stream, keep, parts, cancellationToken);
                break;
        }
    }

    /// <summary>A CSV or JSONL output from its parts, each rendered in one pooled buffer and written in one piece; for CSV the first part's header (or <c>row</c> and the kept columns alone).</summary>
    private static async Task WriteTextAsync(string format, Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Task<PartFile>>> parts, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter(FragmentBuffer);
        var header = false;
        foreach (var load in parts)
        {
            var part = await load();
            buffer.Clear();
            if (format == BatchFormat.Csv)
            {
                if (!header)
                {
                    WriteCsvHeader(buffer, keep, part.Columns);
                    header = true;
                }

                WriteCsvRows(buffer, part);
            }
            else
            {
                WriteJsonlRows(buffer, keep, part);
            }

            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }

        if (!header && format == BatchFormat.Csv)
        {
            buffer.Clear();
            WriteCsvHeader(buffer, keep, []);
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
    }

    private static void WriteCsvHeader(PooledBufferWriter buffer, IReadOnlyList<string> keep, IReadOnlyList<OutputColumn> columns)
    {
        Utf8.GetBytes(string.Join(',', new[] { "row" }.Concat(keep).Concat(columns.Select(c => c.Name)).Select(CsvLine.Quote)), buffer);
        buffer.Write(NewLine);
    }

    /// <summary>
    /// A part's rows as CSV lines. A number or BOOL is formatted straight into the buffer: its text (digits, sign,
    /// <c>E</c>, <c>.</c>, <c>NaN</c>, <c>Infinity</c>, <c>true</c>) never needs CSV quotes.
    /// </summary>
    private static void WriteCsvRows(PooledBufferWriter buffer, PartFile part)
    {
        for (var r = 0; r < part.Rows.Length; r++)
        {
            part.Rows[r].TryFormat(buffer.GetSpan(RawElements.MaxLength), out var written, default, CultureInfo.InvariantCulture);
            buffer.Advance(written);
            foreach (var value in part.Kept[r])
            {
                WriteComma(buffer);
                Utf8.GetBytes(CsvLine.Quote(value), buffer);
            }

            for (var c = 0; c < part.Columns.Count; c++)
            {
                var column = part.Columns[c];
                WriteComma(buffer);
                if (column.Raw is { } raw)
                {
                    buffer.Advance(raw.Format(column.Element(r), buffer.GetSpan(RawElements.MaxLength)));
                }
                else
                {
                    Utf8.GetBytes(CsvLine.Quote(column.Values[r]), buffer);
                }
            }

            buffer.Write(NewLine);
        }
    }

    private static void WriteComma(PooledBufferWriter buffer)
    {
        buffer.GetSpan(1)[0] = (byte)',';
        buffer.Advance(1);
    }

    /// <summary>A part's rows as JSON objects, one a line: finite numbers as numbers, NaN, the infinities and the rest as strings.</summary>
    private static void WriteJsonlRows(PooledBufferWriter buffer, IReadOnlyList<string> keep, PartFile part)
    {
        var keepNames = keep.Select(k => JsonEncodedText.Encode(k)).ToArray();
        var names = part.Columns.Select(c => JsonEncodedText.Encode(c.Name)).ToArray();
        Span<byte> text = stackalloc byte[RawElements.MaxLength];
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        for (var r = 0; r < part.Rows.Length; r++)
        {
            json.WriteStartObject();
            json.WriteNumber(RowName, part.Rows[r]);
            for (var k = 0; k < keepNames.Length; k++)
            {
                json.WriteString(keepNames[k], part.Kept[r][k]);
            }

            for (var c = 0; c < names.Length; c++)
            {
                var column = part.Columns[c];
                if (column.Raw is { } raw)
                {
                    var element = column.Element(r);
                    var length = raw.Format(element, text);
                    if (column.Numeric && raw.IsFinite(element))
                    {
                        json.WritePropertyName(names[c]);
                        json.WriteRawValue(text[..length], skipInputValidation: true);
                    }
                    else
                    {
                        json.WriteString(names[c], text[..length]);
                    }

                    continue;
                }

                var value = column.Values[r];
                if (column.Numeric && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    json.WritePropertyName(names[c]);
                    json.WriteRawValue(value, skipInputValidation: true);
                }
                else
                {
                    json.WriteString(names[c], value);
                }
            }

            json.WriteEndObject();
            json.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            json.Reset(buffer);
        }
    }

    private static async Task WriteParquetAsync(Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Task<PartFile>>> parts, CancellationToken cancellationToken)
    {
        ParquetWriter? writer = null;
        DataField[] fields = [];
        try
        {
            foreach (var load in parts)
            {
                var part = await load();
                if (writer is null)
                {
                    fields = Fields(keep, part.Columns);
                    writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken);
                }

                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(fields[0], part.Rows.AsMemory(), null, null, cancellationToken);
                for (var k = 0; k < keep.Count; k++)
                {
                    await group.WriteAsync(fields[1 + k], part.Kept.Select(row => row[k]!).ToArray(), null);
                }

                for (var c = 0; c < part.Columns.Count; c++)
                {
                    var column = part.Columns[c];
                    var field = fields[1 + keep.Count + c];
                    if (column.Numeric)
                    {
                        var values = column.Values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                        await group.WriteAsync<double>(field, values.AsMemory(), null, null, cancellationToken);
                    }
                    else
                    {
                        await group.WriteAsync(field, column.Values, null);
                    }
                }
            }

            writer ??= await ParquetWriter.CreateAsync(new ParquetSchema(Fields(keep, [])), stream, cancellationToken: cancellationToken);
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }
    }

    private static DataField[] Fields(IReadOnlyList<string> keep, IReadOnlyList<OutputColumn> columns) =>
    [
        new DataField<long>("row"),
        .. keep.Select(k => (DataField)new DataField<string>(k, nullable: true)),
        .. columns.Select(c => c.Numeric ? (DataField)new DataField<double>(c.Name) : new DataField<string>(c.Name, nullable: true)),
    ];
}
