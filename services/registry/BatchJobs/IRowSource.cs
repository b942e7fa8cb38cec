namespace Orbit.Registry.BatchJobs;

/// <summary>One data row read: its line in the file (1-based; for Parquet, the row's position) and, for a bad row, why.</summary>
internal readonly record struct RowRead(long Line, string? Error, string?[]? Kept);

/// <summary>Reads an input file row by row, writing each good row's elements into a <see cref="ChunkBuilder"/>.</summary>
internal interface IRowSource : IAsyncDisposable
{
    /// <summary>The next data row (blank lines are skipped); null at the end.</summary>
    ValueTask<RowRead?> NextAsync(ChunkBuilder builder, CancellationToken cancellationToken);
}
