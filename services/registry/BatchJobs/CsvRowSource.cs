using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// A UTF-8 CSV file with a header line; the mapping's columns are found by name in the header. Lines are read as bytes
/// (<see cref="Utf8Lines"/>): a line without quotes is split and parsed in place, and only its kept values become strings.
/// </summary>
internal sealed class CsvRowSource : IRowSource
{
    private readonly Utf8Lines _lines;
    private readonly BatchMapping _mapping;
    private readonly List<string> _fields = [];
    private int[] _starts = [];
    private int[] _ends = [];
    private int[] _columns = [];
    private int[] _kept = [];
    private int _width;
    private long _line;

    private CsvRowSource(Utf8Lines lines, BatchMapping mapping)
    {
        _lines = lines;
        _mapping = mapping;
    }

    public static Task<CsvRowSource> OpenAsync(string path, BatchMapping mapping, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Read synchronously: staging runs on a task of its own, the file is local, and an asynchronous read per line
        // cost more than the parsing (each read hops through the thread pool and takes the stream's lock).
        var source = new CsvRowSource(Open(path), mapping);
        try
        {
            var header = ReadHeader(source._lines) ?? throw new InvalidDataException("the file is empty: a CSV input starts with a header line");
            source._line = 1;
            if (mapping.CheckHeader(header) is { } problem)
            {
                throw new InvalidDataException(problem.Detail);
            }

            source._width = header.Count;
            source._starts = new int[header.Count];
            source._ends = new int[header.Count];
            source._columns = mapping.Columns.Select(c => header.IndexOf(c)).ToArray();
            source._kept = mapping.Keep.Select(c => header.IndexOf(c)).ToArray();
            return Task.FromResult(source);
        }
        catch
        {
            source._lines.Dispose();
            throw;
        }
    }

    public static Utf8Lines Open(string path) =>
        new(new FileStream(path, new FileStreamOptions { BufferSize = 0, Options = FileOptions.SequentialScan }));

    /// <summary>The header's column names, or null for an empty file.</summary>
    public static List<string>? ReadHeader(Utf8Lines lines)
    {
        if (!lines.TryRead(out var line))
        {
            return null;
        }

        var header = new List<string>();
        if (!CsvLine.TrySplit(Encoding.UTF8.GetString(line), header))
        {
            throw new InvalidDataException("the header line has a quote that is not closed");
        }

        return header.Select(h => h.Trim()).ToList();
    }

    public ValueTask<RowRead?> NextAsync(ChunkBuilder builder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Next(builder));
    }

    private RowRead? Next(ChunkBuilder builder)
    {
        ReadOnlySpan<byte> bytes;
        do
        {
            if (!_lines.TryRead(out bytes))
            {
                return null;
            }

            _line++;
        }
        while (bytes.IsEmpty);

        if (bytes.IndexOf((byte)'"') < 0)
        {
            return ReadUnquoted(bytes, builder);
        }

        var line = Encoding.UTF8.GetString(bytes);
        if (!CsvLine.TrySplit(line, _fields))
        {
            return new RowRead(_line, "a quoted value is not closed on its line", null);
        }

        if (_fields.Count != _width)
        {
            return new RowRead(_line, $"has {_fields.Count} values; the header has {_width}", null);
        }

        var input = _mapping.Inputs[0];
        var size = ElementCodec.Size(input.Datatype);
        var row = builder.Row(0);
        for (var j = 0; j < _columns.Length; j++)
        {
            if (!ElementCodec.TryWrite(input.Datatype, _fields[_columns[j]], row.Slice(j * size, size)))
            {
                return new RowRead(_line, $"column '{_mapping.Columns[j]}': '{Shorten(_fields[_columns[j]])}' is not a {input.Datatype} value", null);
            }
        }

        var kept = new string?[_kept.Length];
        for (var k = 0; k < _kept.Length; k++)
        {
            kept[k] = _fields[_kept[k]];
        }

        return new RowRead(_line, null, kept);
    }

    /// <summary>The common case, a line with no quotes: fields are read in place, and only kept ones become strings.</summary>
    private RowRead ReadUnquoted(ReadOnlySpan<byte> line, ChunkBuilder builder)
    {
        var count = SplitAtCommas(line);
        if (count != _width)
        {
            return new RowRead(_line, $"has {count} values; the header has {_width}", null);
        }

        var input = _mapping.Inputs[0];
        var size = ElementCodec.Size(input.Datatype);
        var row = builder.Row(0);
        for (var j = 0; j < _columns.Length; j++)
        {
            var c = _columns[j];
            var cell = line[_starts[c].._ends[c]];
            if (!ElementCodec.TryWrite(input.Datatype, cell, row.Slice(j * size, size)))
            {
                return new RowRead(_line, $"column '{_mapping.Columns[j]}': '{Shorten(Encoding.UTF8.GetString(cell))}' is not a {input.Datatype} value", null);
            }
        }

        var kept = new string?[_kept.Length];
        for (var k = 0; k < _kept.Length; k++)
        {
            kept[k] = Encoding.UTF8.GetString(line[_starts[_kept[k]].._ends[_kept[k]]]);
        }

        return new RowRead(_line, null, kept);
    }

    /// <summary>
    /// Finds the fields of a line without quotes (up to the header's width, into <c>_starts</c>/<c>_ends</c>) and
    /// returns how many it has. Commas are found 32 bytes at a time: one comparison gives a bit per comma, where an
    /// <c>IndexOf</c> per field paid its set-up for every field of a few bytes.
    /// </summary>
    private int SplitAtCommas(ReadOnlySpan<byte> line)
    {
        var count = 0;
        var start = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var comma = Vector256.Create((byte)',');
            for (; i + Vector256<byte>.Count <= line.Length; i += Vector256<byte>.Count)
            {
                var commas = Vector256.Equals(Vector256.Create(line.Slice(i, Vector256<byte>.Count)), comma).ExtractMostSignificantBits();
                while (commas != 0)
                {
                    Field(ref count, ref start, i + BitOperations.TrailingZeroCount(commas));
                    commas &= commas - 1;
                }
            }
        }

        for (; i < line.Length; i++)
        {
            if (line[i] == (byte)',')
            {
                Field(ref count, ref start, i);
            }
        }

        Field(ref count, ref start, line.Length);
        return count;
    }

    private void Field(ref int count, ref int start, int end)
    {
        if (count < _width)
        {
            _starts[count] = start;
            _ends[count] = end;
        }

        count++;
        start = end + 1;
    }

    internal static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public ValueTask DisposeAsync()
    {
        _lines.Dispose();
        return ValueTask.CompletedTask;
    }
}
