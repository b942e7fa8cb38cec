using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Orbit.Registry.BatchJobs;

/// <summary>A Parquet file: the mapping's columns are found by name among its flat fields, read one row group at a time.</summary>
internal sealed class ParquetRowSource : IRowSource
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly BatchMapping _mapping;
    private readonly DataField[] _columns;
    private readonly DataField[] _kept;
    private string?[][] _columnValues = [];
    private string?[][] _keptValues = [];
    private int _group = -1;
    private int _rowInGroup;
    private int _groupRows;
    private long _row;

    private ParquetRowSource(Stream stream, ParquetReader reader, BatchMapping mapping, DataField[] columns, DataField[] kept)
    {
        _stream = stream;
        _reader = reader;
        _mapping = mapping;
        _columns = columns;
        _kept = kept;
    }

    public static async Task<ParquetRowSource> OpenAsync(string path, BatchMapping mapping, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
            var fields = reader.Schema.GetDataFields();
            if (mapping.CheckHeader(fields.Select(f => f.Name).ToList()) is { } problem)
            {
                throw new InvalidDataException(problem.Detail);
            }

            DataField Field(string name) => fields.First(f => f.Name == name);
            return new ParquetRowSource(stream, reader, mapping, mapping.Columns.Select(Field).ToArray(), mapping.Keep.Select(Field).ToArray());
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of a Parquet file's columns; throws <see cref="InvalidDataException"/> for a file that is not Parquet.</summary>
    public static async Task<List<string>> ReadHeaderAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
            return reader.Schema.GetDataFields().Select(f => f.Name).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException("not a Parquet file: " + ex.Message, ex);
        }
    }

    public async ValueTask<RowRead?> NextAsync(ChunkBuilder builder, CancellationToken cancellationToken)
    {
        while (_rowInGroup >= _groupRows)
        {
            if (++_group >= _reader.RowGroupCount)
            {
                return null;
            }

            using var group = _reader.OpenRowGroupReader(_group);
            _groupRows = checked((int)group.RowCount);
            _rowInGroup = 0;
            _columnValues = await ReadAllAsync(group, _columns, cancellationToken);
            _keptValues = await ReadAllAsync(group, _kept, cancellationToken);
        }

        var i = _rowInGroup++;
        var line = ++_row;
        var input = _mapping.Inputs[0];
        var size = ElementCodec.Size(input.Datatype);
        var row = builder.Row(0);
        for (var j = 0; j < _columns.Length; j++)
        {
            var value = _columnValues[j][i];
            if (value is null)
            {
                return new RowRead(line, $"column '{_mapping.Columns[j]}' is empty", null);
            }

            if (!ElementCodec.TryWrite(input.Datatype, value, row.Slice(j * size, size)))
            {
                return new RowRead(line, $"column '{_mapping.Columns[j]}': '{CsvRowSource.Shorten(value)}' is not a {input.Datatype} value", null);
            }
        }

        return new RowRead(line, null, _keptValues.Select(k => k[i]).ToArray());
    }

    private async Task<string?[][]> ReadAllAsync(ParquetRowGroupReader group, DataField[] fields, CancellationToken cancellationToken)
    {
        var columns = new string?[fields.Length][];
        for (var j = 0; j < fields.Length; j++)
        {
            columns[j] = await ReadAsync(group, fields[j], _groupRows, cancellationToken);
        }

        return columns;
    }

    private static async Task<string?[]> ReadAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory(), null, cancellationToken);
            return strings;
        }

        return type switch
        {
            _ when type == typeof(double) => await ReadAsync<double>(group, field, rows, cancellationToken),
            _ when type == typeof(float) => await ReadAsync<float>(group, field, rows, cancellationToken),
            _ when type == typeof(long) => await ReadAsync<long>(group, field, rows, cancellationToken),
            _ when type == typeof(int) => await ReadAsync<int>(group, field, rows, cancellationToken),
            _ when type == typeof(short) => await ReadAsync<short>(group, field, rows, cancellationToken),
            _ when type == typeof(sbyte) => await ReadAsync<sbyte>(group, field, rows, cancellationToken),
            _ when type == typeof(byte) => await ReadAsync<byte>(group, field, rows, cancellationToken),
            _ when type == typeof(bool) => (await ReadAsync<bool>(group, field, rows, cancellationToken)),
            _ when type == typeof(decimal) => await ReadAsync<decimal>(group, field, rows, cancellationToken),
            _ => throw new InvalidDataException($"column '{field.Name}' is of type {type.Name}, which a batch job cannot read"),
        };
    }

    private static async Task<string?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var plain = new T[rows];
            await group.ReadAsync(field, plain.AsMemory(), null, cancellationToken);
            return plain.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)).ToArray();
        }

        var values = new T?[rows];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken);
        return values.Select(v => v is null ? null : Convert.ToString(v.Value, CultureInfo.InvariantCulture)).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
