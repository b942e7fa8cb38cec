using System.Globalization;
using System.Text;
using System.Text.Json;
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
    /// <summary>Whether a part of this output format is written as a fragment of the output (CSV, JSONL) rather than as JSON (Parquet).</summary>
    public static bool WritesFragments(string format) => format is BatchFormat.Csv or BatchFormat.Jsonl;

    /// <summary>One part in the output's own form: for CSV, its header line then its rows; for JSONL, its rows.</summary>
    public static Task WriteFragmentAsync(string format, Stream stream, IReadOnlyList<string> keep, PartFile part, CancellationToken cancellationToken) =>
        WriteAsync(format, stream, keep, [() => Task.FromResult(part)], cancellationToken);

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
            await WriteCsvAsync(stream, keep, [], cancellationToken);
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
            case BatchFormat.Csv:
                await WriteCsvAsync(stream, keep, parts, cancellationToken);
                break;
            case BatchFormat.Jsonl:
                await WriteJsonlAsync(stream, keep, parts);
                break;
            default:
                await WriteParquetAsync(stream, keep, parts, cancellationToken);
                break;
        }
    }

    private static async Task WriteCsvAsync(Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Task<PartFile>>> parts, CancellationToken cancellationToken)
    {
        // A part's fragment is written to memory: the default buffer, not a large one per part.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), stream is MemoryStream ? -1 : 1 << 16, leaveOpen: true);
        var header = false;
        var line = new StringBuilder();
        foreach (var load in parts)
        {
            var part = await load();
            if (!header)
            {
                await writer.WriteLineAsync(string.Join(',', new[] { "row" }.Concat(keep).Concat(part.Columns.Select(c => c.Name)).Select(CsvLine.Quote)));
                header = true;
            }

            for (var r = 0; r < part.Rows.Length; r++)
            {
                line.Clear().Append(part.Rows[r].ToString(CultureInfo.InvariantCulture));
                foreach (var value in part.Kept[r])
                {
                    line.Append(',').Append(CsvLine.Quote(value));
                }

                foreach (var column in part.Columns)
                {
                    line.Append(',').Append(CsvLine.Quote(column.Values[r]));
                }

                await writer.WriteLineAsync(line, cancellationToken);
            }
        }

        if (!header)
        {
            await writer.WriteLineAsync(string.Join(',', new[] { "row" }.Concat(keep).Select(CsvLine.Quote)));
        }
    }

    private static async Task WriteJsonlAsync(Stream stream, IReadOnlyList<string> keep, IEnumerable<Func<Task<PartFile>>> parts)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        foreach (var load in parts)
        {
            var part = await load();
            for (var r = 0; r < part.Rows.Length; r++)
            {
                json.WriteStartObject();
                json.WriteNumber("row", part.Rows[r]);
                for (var k = 0; k < keep.Count; k++)
                {
                    json.WriteString(keep[k], part.Kept[r][k]);
                }

                foreach (var column in part.Columns)
                {
                    var value = column.Values[r];
                    if (column.Numeric && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    {
                        json.WritePropertyName(column.Name);
                        json.WriteRawValue(value, skipInputValidation: true);
                    }
                    else
                    {
                        json.WriteString(column.Name, value);
                    }
                }

                json.WriteEndObject();
                await json.FlushAsync();
                stream.WriteByte((byte)'\n');
                json.Reset(stream);
            }
        }

        await json.FlushAsync();
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
