namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Collects the rows of one chunk: a source writes a row's elements into <see cref="Row"/> spans, then
/// commits it (or moves on, for a bad row, and the next row overwrites what it wrote).
/// </summary>
internal sealed class ChunkBuilder
{
    private readonly IReadOnlyList<BatchInput> _inputs;
    private readonly byte[][] _buffers;
    private readonly List<long> _rows = [];
    private readonly List<string?[]> _kept = [];

    public ChunkBuilder(IReadOnlyList<BatchInput> inputs, int capacity)
    {
        _inputs = inputs;
        Capacity = capacity;
        _buffers = inputs.Select(i => new byte[(long)i.RowBytes * capacity]).ToArray();
    }

    public int Capacity { get; }

    public int Count => _rows.Count;

    public bool IsFull => Count == Capacity;

    /// <summary>Where the current row's elements of input <paramref name="input"/> go.</summary>
    public Span<byte> Row(int input) => _buffers[input].AsSpan(Count * _inputs[input].RowBytes, _inputs[input].RowBytes);

    public void Commit(long row, string?[] kept)
    {
        _rows.Add(row);
        _kept.Add(kept);
    }

    /// <summary>The chunk so far, and an empty builder for the next.</summary>
    public StagedChunk Take()
    {
        var chunk = new StagedChunk(
            [.. _rows],
            [.. _kept],
            _buffers.Select((b, i) => b.AsSpan(0, Count * _inputs[i].RowBytes).ToArray()).ToArray());
        _rows.Clear();
        _kept.Clear();
        return chunk;
    }
}

/// <summary>
/// A chunk as staged on disk: the input row index of each row, its kept values, and each model input's bytes
/// (rows one after another). Sent, and re-sent after a restart, from this file alone.
/// </summary>
internal sealed record StagedChunk(long[] Rows, string?[][] Kept, byte[][] Inputs);
