using Dapper;
using Orbit.DriftMonitor.Storage;

namespace Orbit.DriftMonitor.Accuracy;

/// <summary>One logged prediction row, as the join needs it.</summary>
internal sealed record LoggedPrediction(string TenantId, string ModelName, string RequestId, int Row, int ModelVersion, string? Label, double? Value, long AtMs);

/// <summary>One outcome row.</summary>
internal sealed record Outcome(string TenantId, string ModelName, string RequestId, int Row, string? Label, double? Value);

internal sealed class OutcomeRow
{
    public long ModelVersion { get; set; }

    public string? Label { get; set; }

    public double? Value { get; set; }
}

internal sealed class AccuracyStateRow
{
    public string Tracker { get; set; } = "";

    public string Latest { get; set; } = "";
}

internal sealed class AccuracyPointRow
{
    public long AtMs { get; set; }

    public string View { get; set; } = "";
}

internal sealed class JoinedWindow
{
    public long Labelled { get; init; }

    public long Correct { get; init; }

    public double AbsoluteErrorSum { get; init; }

    public double SquaredErrorSum { get; init; }
}

internal sealed class JoinedRow
{
    public long? Correct { get; set; }

    public double? Error { get; set; }
}

/// <summary>
/// The prediction log joined with outcomes by (tenant, model, request id, row). An outcome that arrives first waits in
/// <c>pending_outcomes</c> until its prediction does, or until it expires and is counted as unknown. Each stream's offset
/// moves in the same transaction as what it carried.
/// </summary>
internal sealed class AccuracyStore(DriftDatabase database)
{
    private const string Join =
        "INSERT INTO joined_outcomes (tenant_id, model_name, request_id, row_index, model_version, correct, error, at_ms) " +
        "VALUES (@TenantId, @ModelName, @RequestId, @Row, @ModelVersion, @Correct, @Error, @AtMs) " +
        "ON CONFLICT (tenant_id, model_name, request_id, row_index) DO NOTHING";

    public async Task AddPredictionsAsync(string stream, long nextOffset, IReadOnlyList<LoggedPrediction> predictions, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var p in predictions)
        {
            await connection.ExecuteAsync(
                "INSERT INTO logged_predictions (tenant_id, model_name, request_id, row_index, model_version, label, value, at_ms) " +
                "VALUES (@TenantId, @ModelName, @RequestId, @Row, @ModelVersion, @Label, @Value, @AtMs) " +
                "ON CONFLICT (tenant_id, model_name, request_id, row_index) DO NOTHING", p, transaction);
            var waiting = await connection.QuerySingleOrDefaultAsync<OutcomeRow>(
                "SELECT label AS Label, value AS Value FROM pending_outcomes WHERE tenant_id = @TenantId AND model_name = @ModelName AND request_id = @RequestId AND row_index = @Row",
                p, transaction);
            if (waiting is { } outcome)
            {
                await connection.ExecuteAsync(Join, Joined(p, new Outcome(p.TenantId, p.ModelName, p.RequestId, p.Row, outcome.Label, outcome.Value), nowMs), transaction);
                await connection.ExecuteAsync(
                    "DELETE FROM pending_outcomes WHERE tenant_id = @TenantId AND model_name = @ModelName AND request_id = @RequestId AND row_index = @Row", p, transaction);
            }
        }

        await Offset(connection, transaction, stream, nextOffset);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AddOutcomesAsync(string stream, long nextOffset, IReadOnlyList<Outcome> outcomes, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var o in outcomes)
        {
            var prediction = await connection.QuerySingleOrDefaultAsync<OutcomeRow>(
                "SELECT model_version AS ModelVersion, label AS Label, value AS Value FROM logged_predictions WHERE tenant_id = @TenantId AND model_name = @ModelName AND request_id = @RequestId AND row_index = @Row",
                o, transaction);
            if (prediction is { } p)
            {
                var logged = new LoggedPrediction(o.TenantId, o.ModelName, o.RequestId, o.Row, (int)p.ModelVersion, p.Label, p.Value, nowMs);
                await connection.ExecuteAsync(Join, Joined(logged, o, nowMs), transaction);
            }
            else
            {
                await connection.ExecuteAsync(
                    "INSERT INTO pending_outcomes (tenant_id, model_name, request_id, row_index, label, value, received_at_ms) " +
                    "VALUES (@TenantId, @ModelName, @RequestId, @Row, @Label, @Value, @nowMs) " +
                    "ON CONFLICT (tenant_id, model_name, request_id, row_index) DO UPDATE SET label = excluded.label, value = excluded.value",
                    new { o.TenantId, o.ModelName, o.RequestId, o.Row, o.Label, o.Value, nowMs }, transaction);
            }
        }

        await Offset(connection, transaction, stream, nextOffset);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Counts as unknown, per model, and drops the outcomes that waited too long or beyond the limit (oldest first).</summary>
    public async Task ExpirePendingAsync(long beforeMs, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pending_outcomes", transaction: transaction);
        var cutoff = beforeMs;
        if (total > limit)
        {
            var nth = await connection.ExecuteScalarAsync<long?>(
                "SELECT received_at_ms FROM pending_outcomes ORDER BY received_at_ms DESC LIMIT 1 OFFSET @limit", new { limit }, transaction);
            cutoff = Math.Max(cutoff, (nth ?? 0) + 1);
        }

        await connection.ExecuteAsync(
            "INSERT INTO unknown_outcomes (tenant_id, model_name, count) " +
            "SELECT tenant_id, model_name, COUNT(*) FROM pending_outcomes WHERE received_at_ms < @cutoff GROUP BY tenant_id, model_name " +
            "ON CONFLICT (tenant_id, model_name) DO UPDATE SET count = unknown_outcomes.count + excluded.count",
            new { cutoff }, transaction);
        await connection.ExecuteAsync("DELETE FROM pending_outcomes WHERE received_at_ms < @cutoff", new { cutoff }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task PrunePredictionsAsync(long beforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM logged_predictions WHERE at_ms < @beforeMs", new { beforeMs });
    }

    public async Task<IReadOnlyList<VersionKey>> VersionsWithOutcomesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WindowKeyRow>(
            "SELECT DISTINCT tenant_id AS TenantId, model_name AS ModelName, model_version AS ModelVersion FROM joined_outcomes");
        return rows.Select(r => r.Key).ToList();
    }

    public async Task<IReadOnlyList<JoinedRow>> RecentAsync(VersionKey version, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<JoinedRow>(
            "SELECT correct AS Correct, error AS Error FROM joined_outcomes " +
            "WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion ORDER BY at_ms DESC LIMIT @limit",
            new { version.TenantId, version.ModelName, version.ModelVersion, limit })).ToList();
    }

    /// <summary>Outcomes joined to the version's predictions in (<paramref name="fromMs"/>, <paramref name="toMs"/>].</summary>
    public async Task<JoinedWindow> WindowAsync(VersionKey version, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<JoinedWindow>(
            "SELECT COUNT(correct) + COUNT(error) AS Labelled, COALESCE(SUM(correct), 0) AS Correct, " +
            "COALESCE(SUM(ABS(error)), 0) AS AbsoluteErrorSum, COALESCE(SUM(error * error), 0) AS SquaredErrorSum FROM joined_outcomes " +
            "WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion AND at_ms > @fromMs AND at_ms <= @toMs",
            new { version.TenantId, version.ModelName, version.ModelVersion, fromMs, toMs });
    }

    public async Task<AccuracyStateRow?> StateAsync(VersionKey version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AccuracyStateRow>(
            "SELECT tracker AS Tracker, latest AS Latest FROM accuracy_states WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion",
            new { version.TenantId, version.ModelName, version.ModelVersion });
    }

    /// <summary>The latest <paramref name="limit"/> accuracy points of the version, oldest first.</summary>
    public async Task<IReadOnlyList<AccuracyPointRow>> PointsAsync(VersionKey version, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccuracyPointRow>(
            "SELECT at_ms AS AtMs, numbers AS View FROM accuracy_points " +
            "WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion ORDER BY at_ms DESC LIMIT @limit",
            new { version.TenantId, version.ModelName, version.ModelVersion, limit });
        return rows.Reverse().ToList();
    }

    /// <summary>The accuracy state, its point in the series and the alert it raised, together; the version gets a drift row if it has none yet.</summary>
    public async Task SaveAsync(VersionKey version, string level, string tracker, string latest, long sampleSize, long atMs, AlertRow? alert, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO accuracy_states (tenant_id, model_name, model_version, level, tracker, latest) VALUES (@TenantId, @ModelName, @ModelVersion, @level, @tracker, @latest) " +
            "ON CONFLICT (tenant_id, model_name, model_version) DO UPDATE SET level = excluded.level, tracker = excluded.tracker, latest = excluded.latest",
            new { version.TenantId, version.ModelName, version.ModelVersion, level, tracker, latest }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO accuracy_points (tenant_id, model_name, model_version, at_ms, level, sample_size, numbers) VALUES (@TenantId, @ModelName, @ModelVersion, @atMs, @level, @sampleSize, @latest) " +
            "ON CONFLICT (tenant_id, model_name, model_version, at_ms) DO NOTHING",
            new { version.TenantId, version.ModelName, version.ModelVersion, atMs, level, sampleSize, latest }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO version_states (tenant_id, model_name, model_version, status, reason, sample_size) " +
            "VALUES (@TenantId, @ModelName, @ModelVersion, @status, 'no feature statistics received', 0) ON CONFLICT (tenant_id, model_name, model_version) DO NOTHING",
            new { version.TenantId, version.ModelName, version.ModelVersion, status = DriftStatus.InsufficientData }, transaction);
        if (alert is not null)
        {
            await connection.ExecuteAsync(
                "INSERT INTO alert_events (tenant_id, model_name, model_version, feature, metric, from_level, to_level, value, threshold, sample_size, at_ms, published) " +
                "VALUES (@TenantId, @ModelName, @ModelVersion, @Feature, @Metric, @FromLevel, @ToLevel, @Value, @Threshold, @SampleSize, @AtMs, 0)",
                alert, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> UnknownOutcomesAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT count FROM unknown_outcomes WHERE tenant_id = @tenant AND model_name = @model", new { tenant, model }) ?? 0;
    }

    public async Task<long> PendingOutcomesAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM pending_outcomes WHERE tenant_id = @tenant AND model_name = @model", new { tenant, model });
    }

    private static object Joined(LoggedPrediction p, Outcome o, long nowMs)
    {
        long? correct = o.Label is not null && p.Label is not null ? (o.Label == p.Label ? 1 : 0) : null;
        double? error = o.Value is { } actual && p.Value is { } predicted ? predicted - actual : null;
        return new { p.TenantId, p.ModelName, p.RequestId, p.Row, p.ModelVersion, Correct = correct, Error = error, AtMs = nowMs };
    }

    private static Task Offset(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string stream, long nextOffset) =>
        connection.ExecuteAsync(
            "INSERT INTO stream_offsets (stream, next_offset) VALUES (@stream, @nextOffset) ON CONFLICT (stream) DO UPDATE SET next_offset = excluded.next_offset",
            new { stream, nextOffset }, transaction);
}
