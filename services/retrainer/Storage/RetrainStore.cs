using System.Text.Json;
using Dapper;
using Orbit.Retrainer.Data;

namespace Orbit.Retrainer.Storage;

/// <summary>Every trigger and what became of it, and where each model's next stream read may start.</summary>
internal sealed class RetrainStore(RetrainerDatabase database)
{
    private const string Columns = """
        id AS Id, tenant_id AS TenantId, model AS Model, trigger AS Trigger, detail AS Detail, requested_by AS RequestedBy,
        shuffle_labels AS ShuffleLabels, force_gate AS ForceGate, status AS Status, reason AS Reason, created_ms AS CreatedMs,
        started_ms AS StartedMs, finished_ms AS FinishedMs, stable_version AS StableVersion, candidate_version AS CandidateVersion,
        candidate_metrics AS CandidateMetrics, stable_metrics AS StableMetrics, snapshot_hash AS SnapshotHash, trainer AS Trainer
        """;

    public async Task InsertAsync(RetrainAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrain_attempts (id, tenant_id, model, trigger, detail, requested_by, shuffle_labels, force_gate, status, reason, created_ms)
            VALUES (@Id, @TenantId, @Model, @Trigger, @Detail, @RequestedBy, @Shuffle, @Force, @Status, @Reason, @CreatedMs)
            """, new
        {
            attempt.Id, attempt.TenantId, attempt.Model, attempt.Trigger, attempt.Detail, attempt.RequestedBy,
            Shuffle = attempt.ShuffleLabels ? 1 : 0, Force = attempt.ForceGate ? 1 : 0, attempt.Status, attempt.Reason,
            CreatedMs = attempt.CreatedAt.ToUnixTimeMilliseconds(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>The model's attempt that is pending or running, if any.</summary>
    public async Task<RetrainAttempt?> ActiveAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM retrain_attempts WHERE tenant_id = @tenant AND model = @model AND status IN ('pending', 'running') ORDER BY created_ms LIMIT 1",
            new { tenant, model }, cancellationToken: cancellationToken));
        return row?.ToAttempt();
    }

    /// <summary>When the last trigger that was acted on (not skipped) arrived, and when the last version was registered.</summary>
    public async Task<(DateTimeOffset? LastAccepted, DateTimeOffset? LastRegistered)> HistoryAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var accepted = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(created_ms) FROM retrain_attempts WHERE tenant_id = @tenant AND model = @model AND status <> 'skipped'",
            new { tenant, model }, cancellationToken: cancellationToken));
        var registered = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(finished_ms) FROM retrain_attempts WHERE tenant_id = @tenant AND model = @model AND status = 'registered'",
            new { tenant, model }, cancellationToken: cancellationToken));
        return (ToTime(accepted), ToTime(registered));
    }

    public async Task<IReadOnlyList<RetrainAttempt>> WithStatusAsync(string status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM retrain_attempts WHERE status = @status ORDER BY created_ms", new { status }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public async Task<RetrainAttempt?> GetAsync(string tenant, string model, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM retrain_attempts WHERE tenant_id = @tenant AND model = @model AND id = @id",
            new { tenant, model, id }, cancellationToken: cancellationToken));
        return row?.ToAttempt();
    }

    /// <summary>Newest first; <paramref name="beforeMs"/> pages on.</summary>
    public async Task<IReadOnlyList<RetrainAttempt>> ListAsync(string tenant, string model, int limit, long? beforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var page = beforeMs is null ? "" : "AND created_ms < @before";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM retrain_attempts
            WHERE tenant_id = @tenant AND model = @model {page}
            ORDER BY created_ms DESC, id DESC LIMIT @limit
            """, new { tenant, model, before = beforeMs ?? 0, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public async Task MarkAsync(string id, string status, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retrain_attempts SET status = @status, started_ms = COALESCE(@started, started_ms) WHERE id = @id",
            new { id, status, started = startedAt?.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(RetrainAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrain_attempts SET status = @Status, reason = @Reason, finished_ms = @FinishedMs, stable_version = @StableVersion,
                candidate_version = @CandidateVersion, candidate_metrics = @CandidateMetrics, stable_metrics = @StableMetrics,
                snapshot_hash = @SnapshotHash, trainer = @Trainer
            WHERE id = @Id
            """, new
        {
            attempt.Id, attempt.Status, attempt.Reason, FinishedMs = attempt.FinishedAt?.ToUnixTimeMilliseconds(), attempt.StableVersion,
            attempt.CandidateVersion, CandidateMetrics = Json(attempt.CandidateMetrics), StableMetrics = Json(attempt.StableMetrics),
            attempt.SnapshotHash, attempt.Trainer,
        }, cancellationToken: cancellationToken));
    }

    public async Task<StreamPositions> PositionsAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<PositionRow>(new CommandDefinition(
            "SELECT predictions_offset AS Predictions, outcomes_offset AS Outcomes FROM retrain_stream_positions WHERE tenant_id = @tenant AND model = @model",
            new { tenant, model }, cancellationToken: cancellationToken));
        return row is null ? new StreamPositions(0, 0) : new StreamPositions(row.Predictions, row.Outcomes);
    }

    public async Task SavePositionsAsync(string tenant, string model, StreamPositions positions, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retrain_stream_positions (tenant_id, model, predictions_offset, outcomes_offset) VALUES (@tenant, @model, @p, @o)
            ON CONFLICT (tenant_id, model) DO UPDATE SET predictions_offset = @p, outcomes_offset = @o
            """, new { tenant, model, p = positions.Predictions, o = positions.Outcomes }, cancellationToken: cancellationToken));
    }

    private static DateTimeOffset? ToTime(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private static string? Json(IReadOnlyDictionary<string, double>? metrics) => metrics is null ? null : JsonSerializer.Serialize(metrics);

    private sealed class PositionRow
    {
        public long Predictions { get; set; }
        public long Outcomes { get; set; }
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Model { get; set; } = "";
        public string Trigger { get; set; } = "";
        public string Detail { get; set; } = "";
        public string? RequestedBy { get; set; }
        public long ShuffleLabels { get; set; }
        public long ForceGate { get; set; }
        public string Status { get; set; } = "";
        public string? Reason { get; set; }
        public long CreatedMs { get; set; }
        public long? StartedMs { get; set; }
        public long? FinishedMs { get; set; }
        public long? StableVersion { get; set; }
        public long? CandidateVersion { get; set; }
        public string? CandidateMetrics { get; set; }
        public string? StableMetrics { get; set; }
        public string? SnapshotHash { get; set; }
        public string? Trainer { get; set; }

        public RetrainAttempt ToAttempt() => new()
        {
            Id = Id, TenantId = TenantId, Model = Model, Trigger = Trigger, Detail = Detail, RequestedBy = RequestedBy,
            ShuffleLabels = ShuffleLabels != 0, ForceGate = ForceGate != 0, Status = Status, Reason = Reason,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs), StartedAt = ToTime(StartedMs), FinishedAt = ToTime(FinishedMs),
            StableVersion = (int?)StableVersion, CandidateVersion = (int?)CandidateVersion,
            CandidateMetrics = CandidateMetrics is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(CandidateMetrics),
            StableMetrics = StableMetrics is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(StableMetrics),
            SnapshotHash = SnapshotHash, Trainer = Trainer,
        };
    }
}
