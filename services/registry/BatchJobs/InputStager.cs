using System.Globalization;
using System.Text;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Reads a job's input once and stages it as chunk files of up to <c>chunkSize</c> good rows each (each chunk can run
/// as soon as it is staged, while the rest is read); every row
/// that cannot be read (not parseable, wrong number of values) goes to the errors file with its row index,
/// line and reason instead.
/// </summary>
internal sealed class InputStager(BatchFiles files, BatchChunkStore store)
{
    public sealed record Result(long RowsTotal, long RowsFailed, IReadOnlyList<int> ChunkRows);

    /// <param name="staged">Called after each chunk file is written: (chunk, its rows, rows read so far).</param>
    public async Task<Result> StageAsync(BatchJobRow job, Func<int, int, long, Task> staged, CancellationToken cancellationToken)
    {
        var mapping = job.Mapping;
        await using var source = await OpenAsync(job.InputFormat, files.Input(job.Id), mapping, cancellationToken);
        var builder = new ChunkBuilder(mapping.Inputs, (int)job.ChunkSize);
        var chunkRows = new List<int>();
        long row = 0, failed = 0;
        await using var errors = new StreamWriter(files.Errors(job.Id), false, new UTF8Encoding(false), 1 << 16);
        await errors.WriteLineAsync("row,line,reason");
        while (await source.NextAsync(builder, cancellationToken) is { } read)
        {
            if (read.Error is { } reason)
            {
                failed++;
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{row},{read.Line},{CsvLine.Quote(reason)}"));
            }
            else
            {
                builder.Commit(row, read.Kept!);
                if (builder.IsFull)
                {
                    await FlushAsync(job.Id, builder, chunkRows);
                    await staged(chunkRows.Count - 1, chunkRows[^1], row + 1);
                }
            }

            row++;
        }

        if (builder.Count > 0)
        {
            await FlushAsync(job.Id, builder, chunkRows);
            await staged(chunkRows.Count - 1, chunkRows[^1], row);
        }

        return new Result(row, failed, chunkRows);
    }

    public static async Task<IRowSource> OpenAsync(string format, string path, BatchMapping mapping, CancellationToken cancellationToken) => format switch
    {
        BatchFormat.Csv => await CsvRowSource.OpenAsync(path, mapping, cancellationToken),
        BatchFormat.Jsonl => JsonlRowSource.Open(path, mapping),
        _ => await ParquetRowSource.OpenAsync(path, mapping, cancellationToken),
    };

    private Task FlushAsync(string id, ChunkBuilder builder, List<int> chunkRows)
    {
        store.WriteChunk(id, chunkRows.Count, builder);
        chunkRows.Add(builder.Count);
        builder.Clear();
        return Task.CompletedTask;
    }
}
