using System.Globalization;
using System.Text.Json;

namespace Orbit.Registry.BatchJobs;

/// <summary>A job's staged chunks, parts and per-chunk error files on disk, each written atomically.</summary>
internal sealed class BatchChunkStore(BatchFiles files)
{
    private static readonly JsonSerializerOptions Json = BatchJobRow.Json;

    public Task WriteChunkAsync(string id, int chunk, StagedChunk staged) =>
        BatchFiles.WriteAtomicallyAsync(files.Chunk(id, chunk), s => JsonSerializer.SerializeAsync(s, staged, Json));

    public Task<StagedChunk> ReadChunkAsync(string id, int chunk, CancellationToken cancellationToken) => ReadAsync<StagedChunk>(files.Chunk(id, chunk), cancellationToken);

    public Task WritePartAsync(string id, int chunk, PartFile part) =>
        BatchFiles.WriteAtomicallyAsync(files.Part(id, chunk), s => JsonSerializer.SerializeAsync(s, part, Json));

    public bool HasPart(string id, int chunk) => File.Exists(files.Part(id, chunk));

    public Task<PartFile> ReadPartAsync(string id, int chunk, CancellationToken cancellationToken) => ReadAsync<PartFile>(files.Part(id, chunk), cancellationToken);

    /// <summary>Every row of a chunk the model could not run, as error lines (the row index, no line number, the reason).</summary>
    public Task WriteChunkErrorsAsync(string id, int chunk, StagedChunk staged, string reason) =>
        BatchFiles.WriteAtomicallyAsync(ChunkErrors(id, chunk), async s =>
        {
            await using var writer = new StreamWriter(s, leaveOpen: true);
            foreach (var row in staged.Rows)
            {
                await writer.WriteLineAsync($"{row.ToString(CultureInfo.InvariantCulture)},,{CsvLine.Quote(reason)}");
            }
        });

    /// <summary>The errors file: the rows staging could not read, then those of chunks the model failed, in chunk order.</summary>
    public IEnumerable<string> ErrorFiles(string id)
    {
        yield return files.Errors(id);
        var directory = Path.Combine(files.Job(id), "parts");
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.GetFiles(directory, "*.errors.csv").Order(StringComparer.Ordinal))
            {
                yield return file;
            }
        }
    }

    private string ChunkErrors(string id, int chunk) => Path.ChangeExtension(files.Part(id, chunk), ".errors.csv");

    private static async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"{Path.GetFileName(path)} is empty");
    }
}
