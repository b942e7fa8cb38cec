using System.Data.Common;
using System.Text.Json;
using Dapper;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Security;
using Orbit.Registry.Audit;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Rollouts;

/// <summary>Rollouts and their decisions; each change and its audit row commit together.</summary>
internal sealed class RolloutStore(RegistryDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        id, tenant_id, model_name, stable_version, candidate_version, strategy, steps_json, bake_seconds, interval_seconds,
        analysis_json, state, step, step_started_at_ms, passing_since_ms, failures, source_errors, evaluated_at_ms,
        started_at_ms, started_by, ended_at_ms, reason, shadow_json
        """;

    private const string Selected = """
        id, tenant_id AS TenantId, model_name AS Model, stable_version AS StableVersion, candidate_version AS CandidateVersion,
        strategy, steps_json AS StepsJson, bake_seconds AS BakeSeconds, interval_seconds AS IntervalSeconds, analysis_json AS AnalysisJson,
        state, step, step_started_at_ms AS StepStartedAtMs, passing_since_ms AS PassingSinceMs, failures, source_errors AS SourceErrors,
        evaluated_at_ms AS EvaluatedAtMs, started_at_ms AS StartedAtMs, started_by AS StartedBy, ended_at_ms AS EndedAtMs, reason, shadow_json AS ShadowJson
        """;

    /// <summary>Stores a new rollout; false when the model already has one in flight.</summary>
    public async Task<bool> InsertAsync(Rollout rollout, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ActiveIdAsync(connection, transaction, rollout.TenantId, rollout.Model) is not null)
        {
            return false;
        }

        await connection.ExecuteAsync(
            $"""
            INSERT INTO rollouts ({Columns})
            VALUES (@Id, @TenantId, @Model, @StableVersion, @CandidateVersion, @Strategy, @StepsJson, @BakeSeconds, @IntervalSeconds,
                    @AnalysisJson, @State, @Step, @StepStartedAtMs, @PassingSinceMs, @Failures, @SourceErrors, @EvaluatedAtMs,
                    @StartedAtMs, @StartedBy, @EndedAtMs, @Reason, @ShadowJson)
            """,
            Row.From(rollout), transaction);
        await AuditLog.AppendAsync(connection, transaction, caller, rollout.StartedAt.ToUnixTimeMilliseconds(), rollout.TenantId,
            "rollout.start", Target(rollout), rollout.Model, null, Summary(rollout));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Saves where the rollout now stands, and the decision that moved it there when there is one.</summary>
    public async Task SaveAsync(Rollout rollout, RolloutDecision? decision, Caller actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE rollouts SET state = @State, step = @Step, step_started_at_ms = @StepStartedAtMs, passing_since_ms = @PassingSinceMs,
                failures = @Failures, source_errors = @SourceErrors, evaluated_at_ms = @EvaluatedAtMs, ended_at_ms = @EndedAtMs, reason = @Reason,
                shadow_json = @ShadowJson
            WHERE id = @Id
            """,
            Row.From(rollout), transaction);
        var atMs = (decision?.At ?? rollout.EndedAt ?? rollout.EvaluatedAt).ToUnixTimeMilliseconds();
        if (decision is not null)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO rollout_decisions (rollout_id, at_ms, step, weight, interval_start_ms, interval_end_ms, verdict, action, reason, metrics_json)
                VALUES (@id, @atMs, @step, @weight, @startMs, @endMs, @verdict, @action, @reason, @metrics)
                """,
                new
                {
                    id = rollout.Id,
                    atMs,
                    step = (long)decision.Step,
                    weight = (long)decision.Weight,
                    startMs = decision.IntervalStart.ToUnixTimeMilliseconds(),
                    endMs = decision.IntervalEnd.ToUnixTimeMilliseconds(),
                    verdict = decision.Verdict,
                    action = ActionName(decision.Action),
                    reason = decision.Reason,
                    metrics = JsonSerializer.Serialize(decision.Metrics, Json),
                },
                transaction);
        }

        await AuditLog.AppendAsync(connection, transaction, actor, atMs, rollout.TenantId,
            decision is null ? "rollout." + rollout.State : "rollout.decision." + ActionName(decision.Action), Target(rollout), rollout.Model,
            null, decision is null ? Summary(rollout) : new { rollout = Summary(rollout), decision = View(decision, 0) });
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Saves a running shadow's tallies and the time they were folded to, without an audit row: they change every interval,
    /// and the audit log records the shadow's start and end.
    /// </summary>
    public async Task SaveProgressAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE rollouts SET evaluated_at_ms = @EvaluatedAtMs, shadow_json = @ShadowJson WHERE id = @Id AND state = 'running'", Row.From(rollout));
    }

    public async Task<Rollout?> LatestAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM rollouts WHERE tenant_id = @tenant AND model_name = @model ORDER BY started_at_ms DESC, id DESC LIMIT 1",
            new { tenant, model });
        return row?.ToRollout();
    }

    public async Task<IReadOnlyList<Rollout>> RunningAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"SELECT {Selected} FROM rollouts WHERE state = 'running'");
        return rows.Select(r => r.ToRollout()).ToList();
    }

    public async Task<IReadOnlyList<RolloutDecisionView>> DecisionsAsync(string rolloutId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(
            """
            SELECT id, at_ms AS AtMs, step, weight, interval_start_ms AS IntervalStartMs, interval_end_ms AS IntervalEndMs, verdict, action, reason, metrics_json AS MetricsJson
            FROM rollout_decisions WHERE rollout_id = @rolloutId ORDER BY id DESC LIMIT @limit
            """,
            new { rolloutId, limit = (long)limit });
        return rows.Select(r => new RolloutDecisionView(
            r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), (int)r.Step, (int)r.Weight,
            DateTimeOffset.FromUnixTimeMilliseconds(r.IntervalStartMs), DateTimeOffset.FromUnixTimeMilliseconds(r.IntervalEndMs),
            r.Verdict, r.Action, r.Reason,
            JsonSerializer.Deserialize<List<MetricResult>>(r.MetricsJson, Json)!.Select(MetricView).ToList())).ToList();
    }

    public async Task<RolloutPolicy?> PolicyAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(
            "SELECT policy_json FROM rollout_policies WHERE tenant_id = @tenant AND model_name = @model", new { tenant, model });
        return json is null ? null : JsonSerializer.Deserialize<RolloutPolicy>(json, Json);
    }

    public async Task SetPolicyAsync(Caller caller, string model, RolloutPolicy policy, CancellationToken cancellationToken)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.ExecuteScalarAsync<string?>(
            "SELECT policy_json FROM rollout_policies WHERE tenant_id = @tenant AND model_name = @model", new { tenant = caller.TenantId, model }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO rollout_policies (tenant_id, model_name, policy_json, updated_at_ms, updated_by) VALUES (@tenant, @model, @json, @nowMs, @actor)
            ON CONFLICT (tenant_id, model_name) DO UPDATE SET policy_json = excluded.policy_json, updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by
            """,
            new { tenant = caller.TenantId, model, json = JsonSerializer.Serialize(policy, Json), nowMs, actor = caller.Actor }, transaction);
        await AuditLog.AppendAsync(connection, transaction, caller, nowMs, caller.TenantId, "rollout.policy", $"models/{model}/rollout-policy", model,
            before is null ? null : JsonSerializer.Deserialize<RolloutPolicy>(before, Json), policy);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>An event about a model's rollouts that changed no rollout (a proposal left alone), for the audit log.</summary>
    public async Task NoteAsync(Caller actor, string tenant, string model, string action, object details, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, actor, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tenant, action, $"models/{model}/rollout", model, null, details);
        await transaction.CommitAsync(cancellationToken);
    }

    public static RolloutDecisionView View(RolloutDecision decision, long id) => new(
        id, decision.At, decision.Step, decision.Weight, decision.IntervalStart, decision.IntervalEnd, decision.Verdict,
        ActionName(decision.Action), decision.Reason, decision.Metrics.Select(MetricView).ToList());

    public static string ActionName(RolloutAction action) => action.ToString().ToLowerInvariant();

    private static RolloutMetricView MetricView(MetricResult m) => new(
        m.Metric, m.Test, m.Candidate, m.Stable, m.Margin, m.CandidateSamples, m.StableSamples, m.PValue, m.Verdict.ToString().ToLowerInvariant(), m.Reason);

    private static Task<string?> ActiveIdAsync(DbConnection connection, DbTransaction transaction, string tenant, string model) =>
        connection.ExecuteScalarAsync<string?>(
            "SELECT id FROM rollouts WHERE tenant_id = @tenant AND model_name = @model AND state IN ('running', 'paused')",
            new { tenant, model }, transaction);

    private static string Target(Rollout rollout) => $"models/{rollout.Model}/rollout";

    private static object Summary(Rollout r) => new
    {
        r.Id,
        r.StableVersion,
        r.CandidateVersion,
        r.Strategy,
        r.Steps,
        r.Progress.Step,
        r.Weight,
        r.State,
        r.Reason,
        Shadow = r.Shadow is { } shadow
            ? new
            {
                shadow.MirrorPercent,
                shadow.DurationSeconds,
                shadow.AgreementThreshold,
                shadow.PromoteOnPass,
                shadow.Tally.Mirrored,
                shadow.Tally.Compared,
                shadow.Tally.Agreement,
                shadow.Tally.MeanAbsDiff,
                shadow.Tally.ShadowErrorRate,
                shadow.Tally.StableErrorRate,
                shadow.Verdict,
            }
            : null,
    };

    // SQLite and PostgreSQL both hand back 64-bit integers.
    private sealed class DecisionRow
    {
        public long Id { get; init; }
        public long AtMs { get; init; }
        public long Step { get; init; }
        public long Weight { get; init; }
        public long IntervalStartMs { get; init; }
        public long IntervalEndMs { get; init; }
        public string Verdict { get; init; } = "";
        public string Action { get; init; } = "";
        public string Reason { get; init; } = "";
        public string MetricsJson { get; init; } = "[]";
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string TenantId { get; init; } = "";
        public string Model { get; init; } = "";
        public long StableVersion { get; init; }
        public long CandidateVersion { get; init; }
        public string Strategy { get; init; } = "";
        public string StepsJson { get; init; } = "[]";
        public long BakeSeconds { get; init; }
        public long IntervalSeconds { get; init; }
        public string AnalysisJson { get; init; } = "{}";
        public string State { get; init; } = "";
        public long Step { get; init; }
        public long StepStartedAtMs { get; init; }
        public long? PassingSinceMs { get; init; }
        public long Failures { get; init; }
        public long SourceErrors { get; init; }
        public long EvaluatedAtMs { get; init; }
        public long StartedAtMs { get; init; }
        public string StartedBy { get; init; } = "";
        public long? EndedAtMs { get; init; }
        public string? Reason { get; init; }
        public string? ShadowJson { get; init; }

        public static Row From(Rollout r) => new()
        {
            Id = r.Id,
            TenantId = r.TenantId,
            Model = r.Model,
            StableVersion = r.StableVersion,
            CandidateVersion = r.CandidateVersion,
            Strategy = r.Strategy,
            StepsJson = JsonSerializer.Serialize(r.Steps, Json),
            BakeSeconds = r.BakeSeconds,
            IntervalSeconds = r.IntervalSeconds,
            AnalysisJson = JsonSerializer.Serialize(r.Analysis, Json),
            State = r.State,
            Step = r.Progress.Step,
            StepStartedAtMs = r.Progress.StepStartedAt.ToUnixTimeMilliseconds(),
            PassingSinceMs = r.Progress.PassingSince?.ToUnixTimeMilliseconds(),
            Failures = r.Progress.Failures,
            SourceErrors = r.Progress.SourceErrorsInRow,
            EvaluatedAtMs = r.EvaluatedAt.ToUnixTimeMilliseconds(),
            StartedAtMs = r.StartedAt.ToUnixTimeMilliseconds(),
            StartedBy = r.StartedBy,
            EndedAtMs = r.EndedAt?.ToUnixTimeMilliseconds(),
            Reason = r.Reason,
            ShadowJson = r.Shadow is null ? null : JsonSerializer.Serialize(r.Shadow, Json),
        };

        public Rollout ToRollout() => new(
            Id, TenantId, Model, (int)StableVersion, (int)CandidateVersion, Strategy,
            JsonSerializer.Deserialize<List<int>>(StepsJson, Json)!, (int)BakeSeconds, (int)IntervalSeconds,
            JsonSerializer.Deserialize<RolloutAnalysis>(AnalysisJson, Json)!, State,
            new StepProgress((int)Step, DateTimeOffset.FromUnixTimeMilliseconds(StepStartedAtMs),
                PassingSinceMs is { } since ? DateTimeOffset.FromUnixTimeMilliseconds(since) : null, (int)Failures, (int)SourceErrors),
            DateTimeOffset.FromUnixTimeMilliseconds(EvaluatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs), StartedBy,
            EndedAtMs is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null, Reason,
            ShadowJson is null ? null : JsonSerializer.Deserialize<Shadow.ShadowRun>(ShadowJson, Json));
    }
}
