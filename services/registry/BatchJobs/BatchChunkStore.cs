using System.Globalization;
using System.Text.Json;
using Orbit.Hosting.Buffers;

namespace Orbit.Registry.BatchJobs;

/// <summary>A job's staged chunks (binary), parts (output fragments, or JSON for Parquet) and per-chunk error files on disk, each written atomically.</summary>
internal sealed class BatchChunkStore(BatchFiles files)
{
    private static readonly JsonSerializerOptions Json = BatchJobRow.Json;

    /// <summary>
    /// A staged chunk in a compact binary form (it is read once to send it and once for its answer), written from the
    /// builder's own buffers through one pooled buffer: a chunk's tensor bytes are large enough that every copy of them
    /// would be an allocation on the large-object heap.
    /// </summary>
    public void WriteChunk(string id, int chunk, ChunkBuilder builder)
    {
        var width = builder.Count == 0 ? 0 : builder.Kept[0].Length;
        long size = 12 + 8L * builder.Count;
        foreach (var kept in builder.Kept)
        {
            foreach (var value in kept)
            {
                var bytes = System.Text.Encoding.UTF8.GetByteCount(value ?? "");
                size += 1 + SevenBitLength(bytes) + bytes;
            }
        }

        for (var i = 0; i < builder.InputCount; i++)
        {
            size += 4 + builder.Input(i).Length;
        }

        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent((int)size);
        try
        {
            using var buffer = new MemoryStream(rented, 0, (int)size, writable: true);
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(builder.Count);
                writer.Write(width);
                writer.Write(builder.InputCount);
                foreach (var row in builder.Rows)
                {
                    writer.Write(row);
                }

                foreach (var kept in builder.Kept)
                {
                    foreach (var value in kept)
                    {
                        writer.Write(value is not null);
                        writer.Write(value ?? "");
                    }
                }

                for (var i = 0; i < builder.InputCount; i++)
                {
                    writer.Write(builder.Input(i).Length);
                    writer.Write(builder.Input(i));
                }
            }

            BatchFiles.WriteAtomically(files.Chunk(id, chunk), rented.AsSpan(0, (int)buffer.Position));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int SevenBitLength(int value)
    {
        var length = 1;
        while ((value >>= 7) != 0)
        {
            length++;
        }

        return length;
    }

    /// <param name="withInputs">False for a chunk's answer, which needs its rows and kept values, not the tensor bytes sent.</param>
    /// <remarks>Read synchronously: a chunk file is small and local (see <see cref="BatchFiles.WriteAtomically"/>).</remarks>
    public Task<StagedChunk> ReadChunkAsync(string id, int chunk, CancellationToken cancellationToken, bool withInputs = true)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var file = new FileStream(files.Chunk(id, chunk), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Task.FromResult(Read(file, withInputs));
    }

    private static StagedChunk Read(Stream stream, bool withInputs)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        var rows = new long[reader.ReadInt32()];
        var width = reader.ReadInt32();
        var inputCount = reader.ReadInt32();
        var inputs = new byte[withInputs ? inputCount : 0][];
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

    /// <summary>
    /// A completed chunk's part: for a CSV or JSONL output already in the output's form (the merge copies it), for
    /// Parquet as JSON. Written under the chunk's own name, so a chunk answered twice still has one part.
    /// </summary>
    public async Task WritePartAsync(string id, int chunk, string format, IReadOnlyList<string> keep, PartFile part)
    {
        if (!OutputMerger.WritesFragments(format))
        {
            await WritePartAsync(id, chunk, part);
            return;
        }

        using var fragment = new PooledBufferWriter(1 << 16);
        OutputMerger.WriteFragment(format, fragment, keep, part);
        BatchFiles.WriteAtomically(files.Fragment(id, chunk, format), fragment.WrittenSpan);
    }

    public Task WritePartAsync(string id, int chunk, PartFile part) =>
        BatchFiles.WriteAtomicallyAsync(files.Part(id, chunk), s => JsonSerializer.SerializeAsync(s, part, Json));

    public bool HasPart(string id, int chunk) => File.Exists(files.Part(id, chunk));

    public bool HasPart(string id, int chunk, string format) =>
        (OutputMerger.WritesFragments(format) && File.Exists(files.Fragment(id, chunk, format))) || HasPart(id, chunk);

    /// <summary>
    /// The fragments of a CSV or JSONL output in chunk order, for <see cref="OutputMerger.ConcatenateAsync"/>; a part
    /// kept as JSON (by a registry from before fragments, ahead of a restart) is turned into its fragment first.
    /// </summary>
    public async Task<IReadOnlyList<Func<Stream>>> FragmentsAsync(string id, int chunks, string format, IReadOnlyList<string> keep, CancellationToken cancellationToken)
    {
        var fragments = new List<Func<Stream>>();
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var path = files.Fragment(id, chunk, format);
            if (!File.Exists(path))
            {
                if (!HasPart(id, chunk))
                {
                    continue;
                }

                var part = await ReadPartAsync(id, chunk, cancellationToken);
                await BatchFiles.WriteAtomicallyAsync(path, s => OutputMerger.WriteFragmentAsync(format, s, keep, part, cancellationToken));
            }

            fragments.Add(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        }

        return fragments;
    }

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
