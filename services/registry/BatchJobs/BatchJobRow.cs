using System.Text.Json;
using Orbit.Contracts.Batch;

namespace Orbit.Registry.BatchJobs;

/// <summary>A <c>batch_jobs</c> row as Dapper reads it.</summary>
internal sealed class BatchJobRow
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string ModelName { get; set; } = "";
    public long ModelVersion { get; set; }
    public string Digest { get; set; } = "";
    public long? MaxBatchSize { get; set; }
    public string State { get; set; } = "";
    public string InputFormat { get; set; } = "";
    public string OutputFormat { get; set; } = "";
    public long ChunkSize { get; set; }
    public string ColumnsJson { get; set; } = "[]";
    public string KeepJson { get; set; } = "[]";
    public string InputsJson { get; set; } = "[]";
    public double MaxErrorRatio { get; set; }
    public long RowsTotal { get; set; }
    public long RowsDone { get; set; }
    public long RowsFailed { get; set; }
    public long ChunksTotal { get; set; }
    public long ChunksDone { get; set; }
    public long Staged { get; set; }
    public long OutputReady { get; set; }
    public string? Reason { get; set; }
    public string? InputName { get; set; }
    public long CreatedAtMs { get; set; }
    public long? StartedAtMs { get; set; }
    public long? FinishedAtMs { get; set; }
    public string CreatedBy { get; set; } = "";

    public const string Columns =
        """
        j.id AS Id, j.tenant_id AS TenantId, j.model_name AS ModelName, j.model_version AS ModelVersion, j.digest AS Digest,
        j.max_batch_size AS MaxBatchSize, j.state AS State, j.input_format AS InputFormat, j.output_format AS OutputFormat,
        j.chunk_size AS ChunkSize, j.columns_json AS ColumnsJson, j.keep_json AS KeepJson, j.inputs_json AS InputsJson,
        j.max_error_ratio AS MaxErrorRatio, j.rows_total AS RowsTotal, j.rows_done AS RowsDone, j.rows_failed AS RowsFailed,
        j.chunks_total AS ChunksTotal, (SELECT COUNT(*) FROM batch_chunks c WHERE c.job_id = j.id AND c.state = 'done') AS ChunksDone,
        j.staged AS Staged, j.output_ready AS OutputReady, j.reason AS Reason, j.input_name AS InputName, j.created_at_ms AS CreatedAtMs,
        j.started_at_ms AS StartedAtMs, j.finished_at_ms AS FinishedAtMs, j.created_by AS CreatedBy
        """;

    public BatchMapping Mapping => new(
        JsonSerializer.Deserialize<List<BatchInput>>(InputsJson, Json)!,
        JsonSerializer.Deserialize<List<string>>(ColumnsJson, Json)!,
        JsonSerializer.Deserialize<List<string>>(KeepJson, Json)!);

    /// <summary>Rows per second since the job started running, and the time left at that rate.</summary>
    public (double Rate, double? Eta) Pace(DateTimeOffset now)
    {
        if (StartedAtMs is not { } started)
        {
            return (0, null);
        }

        var end = FinishedAtMs ?? now.ToUnixTimeMilliseconds();
        var seconds = Math.Max(0.001, (end - started) / 1000.0);
        var rate = RowsDone / seconds;
        var left = RowsTotal - RowsDone - RowsFailed;
        double? eta = BatchJobStates.IsFinal(State) ? 0 : rate > 0 && Staged == 1 ? Math.Round(left / rate, 1) : null;
        return (Math.Round(rate, 1), eta);
    }

    public BatchJobView ToView(DateTimeOffset now)
    {
        var (rate, eta) = Pace(now);
        return new BatchJobView(
            Id, ModelName, (int)ModelVersion, State, InputFormat, OutputFormat, (int)ChunkSize,
            JsonSerializer.Deserialize<List<string>>(ColumnsJson, Json)!, JsonSerializer.Deserialize<List<string>>(KeepJson, Json)!,
            RowsTotal, RowsDone, RowsFailed, (int)ChunksTotal, (int)ChunksDone, rate, eta, MaxErrorRatio, Reason, InputName,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
            FinishedAtMs is { } finished ? DateTimeOffset.FromUnixTimeMilliseconds(finished) : null,
            CreatedBy);
    }
}
