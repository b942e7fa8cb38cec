using Dapper;
using Orbit.Registry.Storage;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Batch jobs and their chunks. Reads for callers are scoped to a tenant: another tenant's job does not exist here.
/// On SQLite these writes commit without waiting for the disk (<c>synchronous=NORMAL</c>, still atomic and consistent
/// in WAL mode): a job writes several rows per chunk, and everything a crash could lose is recovered by design (a chunk
/// not recorded is staged again, a chunk not marked done is sent again and keeps one part).
/// </summary>
internal sealed class BatchJobRepository(RegistryDatabase database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    // SQLite takes one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping before it retries:
    // the staging, the scheduler and the chunk answers would keep waking each other up that way, so they take turns here.
    private readonly SemaphoreSlim _writes = new(1, 1);

    private async Task<RelaxedConnection> OpenAsync(CancellationToken cancellationToken, bool write = false)
    {
        var sqlite = database.Engine == SqlEngine.Sqlite;
        var gate = write && sqlite ? _writes : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            var connection = await database.OpenAsync(cancellationToken);
            var relax = sqlite && write;
            if (relax)
            {
                await connection.ExecuteAsync("PRAGMA synchronous=NORMAL");
            }

            return new RelaxedConnection(connection, relax, gate);
        }
        catch
        {
            gate?.Release();
            throw;
        }
    }

    /// <summary>Puts the pooled connection back as the rest of the registry expects it (<c>synchronous=FULL</c>, for a write), and lets the next writer in.</summary>
    private sealed class RelaxedConnection(System.Data.Common.DbConnection connection, bool sqlite, SemaphoreSlim? gate) : IAsyncDisposable
    {
        public System.Data.Common.DbConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (sqlite)
                {
                    await connection.ExecuteAsync("PRAGMA synchronous=FULL");
                }
            }
            finally
            {
                await connection.DisposeAsync();
                gate?.Release();
            }
        }
    }

    public async Task CreateAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        await connection.ExecuteAsync(
            """
            INSERT INTO batch_jobs (id, tenant_id, model_name, model_version, digest, max_batch_size, state, input_format, output_format,
                chunk_size, columns_json, keep_json, inputs_json, max_error_ratio, input_name, created_at_ms, created_by)
            VALUES (@Id, @TenantId, @ModelName, @ModelVersion, @Digest, @MaxBatchSize, @State, @InputFormat, @OutputFormat,
                @ChunkSize, @ColumnsJson, @KeepJson, @InputsJson, @MaxErrorRatio, @InputName, @CreatedAtMs, @CreatedBy)
            """, job);
    }

    public async Task<BatchJobRow?> GetAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        return await connection.QuerySingleOrDefaultAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.id = @id AND j.tenant_id = @tenant", new { id, tenant });
    }

    /// <summary>The job whatever its tenant: for the scheduler and for chunk answers, which name the tenant they carry.</summary>
    public async Task<BatchJobRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        return await connection.QuerySingleOrDefaultAsync<BatchJobRow>($"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.id = @id", new { id });
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<BatchJobRow>> ListAsync(string tenant, string? before, int limit, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        return (await connection.QueryAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.tenant_id = @tenant AND (@before IS NULL OR j.id < @before) ORDER BY j.id DESC LIMIT @limit",
            new { tenant, before, limit })).ToList();
    }

    /// <summary>Jobs with work left for the scheduler: preparing, running, or ended without their output merged.</summary>
    public async Task<IReadOnlyList<BatchJobRow>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        return (await connection.QueryAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.state IN ('preparing', 'running') OR (j.state IN ('completed', 'cancelled') AND j.output_ready = 0) ORDER BY j.id")).ToList();
    }

    /// <summary>
    /// Records chunks as they are staged, so they run while the rest of the input is read: the chunks (pending, unless a
    /// staging before a restart recorded them already), the rows read so far, and the job running.
    /// </summary>
    public async Task AddChunksAsync(string id, IReadOnlyList<(int Chunk, int Rows)> chunks, long rowsSoFar, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO batch_chunks (job_id, chunk, rows, state, failed_rows) VALUES (@id, @chunk, @rows, 'pending', 0) ON CONFLICT DO NOTHING",
            chunks.Select(c => new { id, chunk = (long)c.Chunk, rows = (long)c.Rows }), transaction);
        await connection.ExecuteAsync(
            """
            UPDATE batch_jobs SET
                chunks_total = CASE WHEN chunks_total < @chunks THEN @chunks ELSE chunks_total END,
                rows_total = CASE WHEN rows_total < @rowsSoFar THEN @rowsSoFar ELSE rows_total END,
                state = CASE WHEN state = 'preparing' THEN 'running' ELSE state END,
                started_at_ms = COALESCE(started_at_ms, @now)
            WHERE id = @id AND staged = 0
            """,
            new { id, chunks = (long)chunks.Max(c => c.Chunk) + 1, rowsSoFar, now = Now }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records the end of staging: the input's row count, its unreadable rows, and the job failed when <paramref name="failReason"/> says so.</summary>
    public async Task StagedAsync(string id, long rowsTotal, long rowsUnreadable, int chunks, string? failReason, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        var now = Now;
        await connection.ExecuteAsync(
            """
            UPDATE batch_jobs SET rows_total = @rowsTotal, rows_failed = rows_failed + @rowsUnreadable, chunks_total = @chunks, staged = 1,
                started_at_ms = COALESCE(started_at_ms, @now),
                state = CASE WHEN state NOT IN ('preparing', 'running') THEN state WHEN @failReason IS NULL THEN 'running' ELSE 'failed' END,
                reason = CASE WHEN state IN ('preparing', 'running') AND @failReason IS NOT NULL THEN @failReason ELSE reason END,
                finished_at_ms = CASE WHEN state IN ('preparing', 'running') AND @failReason IS NOT NULL THEN @now ELSE finished_at_ms END
            WHERE id = @id AND staged = 0
            """,
            new { id, rowsTotal, rowsUnreadable, chunks = (long)chunks, failReason, now });
    }

    /// <summary>
    /// The next pending chunks that fit under <paramref name="maxInFlight"/> sent ones; none while fewer than
    /// <paramref name="minimumGroup"/> fit and some are in flight, so chunks go out in groups rather than one per answer.
    /// </summary>
    public async Task<(long Sent, IReadOnlyList<int> Pending)> NextChunksAsync(string id, int maxInFlight, CancellationToken cancellationToken, int minimumGroup = 1)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        var sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batch_chunks WHERE job_id = @id AND state = 'sent'", new { id });
        var room = Math.Max(0, maxInFlight - (int)sent);
        if (room == 0 || (sent > 0 && room < minimumGroup))
        {
            return (sent, []);
        }

        var pending = await connection.QueryAsync<long>(
            "SELECT chunk FROM batch_chunks WHERE job_id = @id AND state = 'pending' ORDER BY chunk LIMIT @room", new { id, room });
        return (sent, pending.Select(c => (int)c).ToList());
    }

    public async Task<long> CountAsync(string id, string chunkState, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken);
        var connection = relaxed.Connection;
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batch_chunks WHERE job_id = @id AND state = @chunkState", new { id, chunkState });
    }

    /// <summary>Marks chunks sent, in one statement; a chunk answered already (done) stays done.</summary>
    public async Task MarkSentAsync(string id, IReadOnlyList<int> chunks, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        await connection.ExecuteAsync(
            $"UPDATE batch_chunks SET state = 'sent', sent_at_ms = @now WHERE job_id = @id AND state <> 'done' AND chunk IN ({string.Join(", ", chunks.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)))})",
            new { id, now = Now });
    }

    /// <summary>
    /// Makes sent chunks pending again, so they are sent again: at start (whatever was sent before a restart), or
    /// those sent before <paramref name="sentBeforeMs"/> and still unanswered. A chunk answered twice keeps one part.
    /// </summary>
    public async Task<int> ResendAsync(long sentBeforeMs, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        return await connection.ExecuteAsync(
            "UPDATE batch_chunks SET state = 'pending' WHERE state = 'sent' AND sent_at_ms < @sentBeforeMs", new { sentBeforeMs });
    }

    /// <summary>Marks a chunk done and counts its rows, once: false when it was done already (a redelivered chunk's second answer).</summary>
    public async Task<bool> CompleteChunkAsync(string id, int chunk, long rowsDone, long rowsFailed, CancellationToken cancellationToken) =>
        (await CompleteChunksAsync([new ChunkCompletion(id, chunk, rowsDone, rowsFailed)], cancellationToken)).Counted[0];

    /// <summary>
    /// Marks chunks done and counts their rows, each once, in one transaction (<see cref="ChunkCompletions"/> groups the
    /// answers that arrive together): whether each was counted (false when it was done already), and the jobs as they are after it.
    /// </summary>
    public async Task<(bool[] Counted, IReadOnlyList<BatchJobRow> Jobs)> CompleteChunksAsync(IReadOnlyList<ChunkCompletion> completions, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now;
        var counted = new bool[completions.Count];
        var totals = new Dictionary<string, (long Done, long Failed)>(StringComparer.Ordinal);
        for (var i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            counted[i] = await connection.ExecuteAsync(
                "UPDATE batch_chunks SET state = 'done', done_at_ms = @now, failed_rows = @rowsFailed WHERE job_id = @id AND chunk = @chunk AND state <> 'done'",
                new { id = c.JobId, chunk = (long)c.Chunk, rowsFailed = c.RowsFailed, now }, transaction) == 1;
            if (counted[i])
            {
                var (done, failed) = totals.GetValueOrDefault(c.JobId);
                totals[c.JobId] = (done + c.RowsDone, failed + c.RowsFailed);
            }
        }

        foreach (var (id, (rowsDone, rowsFailed)) in totals)
        {
            await connection.ExecuteAsync(
                "UPDATE batch_jobs SET rows_done = rows_done + @rowsDone, rows_failed = rows_failed + @rowsFailed WHERE id = @id",
                new { id, rowsDone, rowsFailed }, transaction);
        }

        var ids = completions.Select(c => c.JobId).Distinct(StringComparer.Ordinal).ToArray();
        var jobs = new List<BatchJobRow>(ids.Length);
        foreach (var id in ids)
        {
            jobs.AddRange(await connection.QueryAsync<BatchJobRow>($"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.id = @id", new { id }, transaction));
        }

        await transaction.CommitAsync(cancellationToken);
        return (counted, jobs);
    }

    /// <summary>Ends a job that is not over yet; false when it already was.</summary>
    public async Task<bool> FinishAsync(string id, string state, string? reason, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        return await connection.ExecuteAsync(
            "UPDATE batch_jobs SET state = @state, reason = @reason, finished_at_ms = @now WHERE id = @id AND state IN ('preparing', 'running')",
            new { id, state, reason, now = Now }) == 1;
    }

    public async Task OutputReadyAsync(string id, CancellationToken cancellationToken)
    {
        await using var relaxed = await OpenAsync(cancellationToken, write: true);
        var connection = relaxed.Connection;
        await connection.ExecuteAsync("UPDATE batch_jobs SET output_ready = 1 WHERE id = @id", new { id });
    }
}
