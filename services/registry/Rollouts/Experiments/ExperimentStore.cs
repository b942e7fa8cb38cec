using System.Text.Json;
using Dapper;
using Orbit.Hosting.Security;
using Orbit.Registry.Audit;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Rollouts.Experiments;

/// <summary>Experiments with their arms' tallies; a start or an end and its audit row commit together.</summary>
internal sealed class ExperimentStore(RegistryDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Selected = """
        id, tenant_id AS TenantId, model_name AS Model, duration_seconds AS DurationSeconds, interval_seconds AS IntervalSeconds, alpha,
        on_end AS OnEnd, state, arms_json AS ArmsJson, started_at_ms AS StartedAtMs, ends_at_ms AS EndsAtMs, collected_to_ms AS CollectedToMs,
        started_by AS StartedBy, ended_at_ms AS EndedAtMs, reason
        """;

    /// <summary>Stores a new experiment; false when the model already has one running.</summary>
    public async Task<bool> InsertAsync(Experiment e, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<string?>(
                "SELECT id FROM experiments WHERE tenant_id = @TenantId AND model_name = @Model AND state = 'running'", new { e.TenantId, e.Model }, transaction) is not null)
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO experiments (id, tenant_id, model_name, control_version, duration_seconds, interval_seconds, alpha, on_end, state, arms_json,
                started_at_ms, ends_at_ms, collected_to_ms, started_by, ended_at_ms, reason)
            VALUES (@Id, @TenantId, @Model, @ControlVersion, @DurationSeconds, @IntervalSeconds, @Alpha, @OnEnd, @State, @ArmsJson,
                @StartedAtMs, @EndsAtMs, @CollectedToMs, @StartedBy, @EndedAtMs, @Reason)
            """,
            Row.From(e), transaction);
        await AuditLog.AppendAsync(connection, transaction, caller, e.StartedAt.ToUnixTimeMilliseconds(), e.TenantId, "experiment.start", Target(e), e.Model, null, Summary(e));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Saves the tallies and state; an experiment that ended gets its audit row (<c>experiment.completed|stopped|aborted</c>) with the final counts.</summary>
    public async Task SaveAsync(Experiment e, Caller actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE experiments SET state = @State, arms_json = @ArmsJson, collected_to_ms = @CollectedToMs, ended_at_ms = @EndedAtMs, reason = @Reason
            WHERE id = @Id
            """,
            Row.From(e), transaction);
        if (e.State != Experiment.Running)
        {
            await AuditLog.AppendAsync(connection, transaction, actor, (e.EndedAt ?? e.CollectedTo).ToUnixTimeMilliseconds(), e.TenantId,
                "experiment." + e.State, Target(e), e.Model, null, Summary(e));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Experiment?> GetAsync(string tenant, string model, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM experiments WHERE tenant_id = @tenant AND model_name = @model AND id = @id", new { tenant, model, id });
        return row?.ToExperiment();
    }

    public async Task<Experiment?> RunningAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM experiments WHERE tenant_id = @tenant AND model_name = @model AND state = 'running'", new { tenant, model });
        return row?.ToExperiment();
    }

    public async Task<IReadOnlyList<Experiment>> RunningAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"SELECT {Selected} FROM experiments WHERE state = 'running'");
        return rows.Select(r => r.ToExperiment()).ToList();
    }

    private static string Target(Experiment e) => $"models/{e.Model}/experiments/{e.Id}";

    private static object Summary(Experiment e) => new
    {
        e.Id,
        e.State,
        ControlVersion = e.Control.Version,
        Arms = e.Arms.Select(a => new { a.Version, a.Weight, a.Requests, a.Errors, a.Labelled, a.Correct }),
        e.DurationSeconds,
        e.OnEnd,
        e.Reason,
    };

    // SQLite and PostgreSQL both hand back 64-bit integers.
    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string TenantId { get; init; } = "";
        public string Model { get; init; } = "";
        public long ControlVersion { get; init; }
        public long DurationSeconds { get; init; }
        public long IntervalSeconds { get; init; }
        public double Alpha { get; init; }
        public string OnEnd { get; init; } = "";
        public string State { get; init; } = "";
        public string ArmsJson { get; init; } = "[]";
        public long StartedAtMs { get; init; }
        public long EndsAtMs { get; init; }
        public long CollectedToMs { get; init; }
        public string StartedBy { get; init; } = "";
        public long? EndedAtMs { get; init; }
        public string? Reason { get; init; }

        public static Row From(Experiment e) => new()
        {
            Id = e.Id,
            TenantId = e.TenantId,
            Model = e.Model,
            ControlVersion = e.Control.Version,
            DurationSeconds = e.DurationSeconds,
            IntervalSeconds = e.IntervalSeconds,
            Alpha = e.Alpha,
            OnEnd = e.OnEnd,
            State = e.State,
            ArmsJson = JsonSerializer.Serialize(e.Arms, Json),
            StartedAtMs = e.StartedAt.ToUnixTimeMilliseconds(),
            EndsAtMs = e.EndsAt.ToUnixTimeMilliseconds(),
            CollectedToMs = e.CollectedTo.ToUnixTimeMilliseconds(),
            StartedBy = e.StartedBy,
            EndedAtMs = e.EndedAt?.ToUnixTimeMilliseconds(),
            Reason = e.Reason,
        };

        public Experiment ToExperiment() => new(
            Id, TenantId, Model, (int)DurationSeconds, (int)IntervalSeconds, Alpha, OnEnd, State,
            JsonSerializer.Deserialize<List<ArmTally>>(ArmsJson, Json)!,
            DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(EndsAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(CollectedToMs), StartedBy,
            EndedAtMs is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null, Reason);
    }
}
