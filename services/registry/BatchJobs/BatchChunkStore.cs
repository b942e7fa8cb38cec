using System.Globalization;
using System.Text.Json;

namespace Orbit.Registry.BatchJobs;

/// <summary>A job's staged chunks (binary), parts (JSON) and per-chunk error files on disk, each written atomically.</summary>
internal sealed class BatchChunkStore(BatchFiles files)
{
    private static readonly JsonSerializerOptions Json = BatchJobRow.Json;

    /// <summary>A staged chunk in a compact binary form (it is read once to send it and once for its answer).</summary>
    public Task WriteChunkAsync(string id, int chunk, StagedChunk staged) =>
        BatchFiles.WriteAtomicallyAsync(files.Chunk(id, chunk), async s =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(staged.Rows.Length);
                writer.Write(staged.Kept.Length == 0 ? 0 : staged.Kept[0].Length);
                writer.Write(staged.Inputs.Length);
                foreach (var row in staged.Rows)
                {
                    writer.Write(row);
                }

                foreach (var value in staged.Kept.SelectMany(k => k))
                {
                    writer.Write(value is not null);
                    writer.Write(value ?? "");
                }

                foreach (var input in staged.Inputs)
                {
                    writer.Write(input.Length);
                    writer.Write(input);
                }
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(s);
        });

    public async Task<StagedChunk> ReadChunkAsync(string id, int chunk, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(files.Chunk(id, chunk), cancellationToken);
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        var rows = new long[reader.ReadInt32()];
        var width = reader.ReadInt32();
        var inputs = new byte[reader.ReadInt32()][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = reader.ReadInt64();
        }

        var kept = new string?[rows.Length][];
        for (var r = 0; r < rows.Length; r++)
        {
            kept[r] = new string?[width];
            for (var k = 0; k < width; k++)
            {
                var present = reader.ReadBoolean();
                var value = reader.ReadString();
                kept[r][k] = present ? value : null;
            }
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = reader.ReadBytes(reader.ReadInt32());
        }

        return new StagedChunk(rows, kept, inputs);
    }

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
