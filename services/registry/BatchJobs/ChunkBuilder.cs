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

    /// <summary>The input row index of each row so far.</summary>
    public IReadOnlyList<long> Rows => _rows;

    /// <summary>The kept values of each row so far.</summary>
    public IReadOnlyList<string?[]> Kept => _kept;

    /// <summary>The bytes of model input <paramref name="input"/> for the rows so far, one row after another.</summary>
    public ReadOnlySpan<byte> Input(int input) => _buffers[input].AsSpan(0, Count * _inputs[input].RowBytes);

    public int InputCount => _buffers.Length;

    /// <summary>Empties the builder for the next chunk (its buffers are kept).</summary>
    public void Clear()
    {
        _rows.Clear();
        _kept.Clear();
    }
}

/// <summary>
/// A chunk as staged on disk: the input row index of each row, its kept values, and each model input's bytes
/// (rows one after another). Sent, and re-sent after a restart, from this file alone.
/// </summary>
internal sealed record StagedChunk(long[] Rows, string?[][] Kept, byte[][] Inputs);
