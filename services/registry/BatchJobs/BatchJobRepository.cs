using Dapper;
using Orbit.Registry.Storage;

namespace Orbit.Registry.BatchJobs;

/// <summary>Batch jobs and their chunks. Reads for callers are scoped to a tenant: another tenant's job does not exist here.</summary>
internal sealed class BatchJobRepository(RegistryDatabase database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task CreateAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.id = @id AND j.tenant_id = @tenant", new { id, tenant });
    }

    /// <summary>The job whatever its tenant: for the scheduler and for chunk answers, which name the tenant they carry.</summary>
    public async Task<BatchJobRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BatchJobRow>($"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.id = @id", new { id });
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<BatchJobRow>> ListAsync(string tenant, string? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.tenant_id = @tenant AND (@before IS NULL OR j.id < @before) ORDER BY j.id DESC LIMIT @limit",
            new { tenant, before, limit })).ToList();
    }

    /// <summary>Jobs with work left for the scheduler: preparing, running, or ended without their output merged.</summary>
    public async Task<IReadOnlyList<BatchJobRow>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BatchJobRow>(
            $"SELECT {BatchJobRow.Columns} FROM batch_jobs j WHERE j.state IN ('preparing', 'running') OR (j.state IN ('completed', 'cancelled') AND j.output_ready = 0) ORDER BY j.id")).ToList();
    }

    /// <summary>Records a staged input: its chunks (pending), its counts, and the job's next state.</summary>
    public async Task StagedAsync(string id, long rowsTotal, long rowsFailed, IReadOnlyList<int> chunkRows, string state, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A restart during staging stages again from the start.
        await connection.ExecuteAsync("DELETE FROM batch_chunks WHERE job_id = @id", new { id }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO batch_chunks (job_id, chunk, rows, state, failed_rows) VALUES (@id, @chunk, @rows, 'pending', 0)",
            chunkRows.Select((rows, chunk) => new { id, chunk = (long)chunk, rows = (long)rows }), transaction);
        var now = Now;
        await connection.ExecuteAsync(
            """
            UPDATE batch_jobs SET rows_total = @rowsTotal, rows_failed = @rowsFailed, chunks_total = @chunks, state = @state, reason = @reason,
                started_at_ms = @now, finished_at_ms = CASE WHEN @state IN ('completed', 'failed') THEN @now ELSE NULL END
            WHERE id = @id AND state = 'preparing'
            """,
            new { id, rowsTotal, rowsFailed, chunks = (long)chunkRows.Count, state, reason, now }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(long Sent, IReadOnlyList<int> Pending)> NextChunksAsync(string id, int maxInFlight, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batch_chunks WHERE job_id = @id AND state = 'sent'", new { id });
        var room = Math.Max(0, maxInFlight - (int)sent);
        if (room == 0)
        {
            return (sent, []);
        }

        var pending = await connection.QueryAsync<long>(
            "SELECT chunk FROM batch_chunks WHERE job_id = @id AND state = 'pending' ORDER BY chunk LIMIT @room", new { id, room });
        return (sent, pending.Select(c => (int)c).ToList());
    }

    public async Task<long> CountAsync(string id, string chunkState, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batch_chunks WHERE job_id = @id AND state = @chunkState", new { id, chunkState });
    }

    public async Task MarkSentAsync(string id, int chunk, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE batch_chunks SET state = 'sent', sent_at_ms = @now WHERE job_id = @id AND chunk = @chunk AND state <> 'done'",
            new { id, chunk = (long)chunk, now = Now });
    }

    /// <summary>
    /// Makes sent chunks pending again, so they are sent again: at start (whatever was sent before a restart), or
    /// those sent before <paramref name="sentBeforeMs"/> and still unanswered. A chunk answered twice keeps one part.
    /// </summary>
    public async Task<int> ResendAsync(long sentBeforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE batch_chunks SET state = 'pending' WHERE state = 'sent' AND sent_at_ms < @sentBeforeMs", new { sentBeforeMs });
    }

    /// <summary>Marks a chunk done and counts its rows, once: false when it was done already (a redelivered chunk's second answer).</summary>
    public async Task<bool> CompleteChunkAsync(string id, int chunk, long rowsDone, long rowsFailed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE batch_chunks SET state = 'done', done_at_ms = @now, failed_rows = @rowsFailed WHERE job_id = @id AND chunk = @chunk AND state <> 'done'",
            new { id, chunk = (long)chunk, rowsFailed, now = Now }, transaction);
        if (changed == 1)
        {
            await connection.ExecuteAsync(
                "UPDATE batch_jobs SET rows_done = rows_done + @rowsDone, rows_failed = rows_failed + @rowsFailed WHERE id = @id",
                new { id, rowsDone, rowsFailed }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    /// <summary>Ends a job that is not over yet; false when it already was.</summary>
    public async Task<bool> FinishAsync(string id, string state, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE batch_jobs SET state = @state, reason = @reason, finished_at_ms = @now WHERE id = @id AND state IN ('preparing', 'running')",
            new { id, state, reason, now = Now }) == 1;
    }

    public async Task OutputReadyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE batch_jobs SET output_ready = 1 WHERE id = @id", new { id });
    }
}
