using Dapper;

namespace Orbit.DriftMonitor.Storage;

/// <summary>Every query of the monitor's store. Offsets and the windows they cover are written in one transaction.</summary>
internal sealed class DriftStore(DriftDatabase database)
{
    private const string VersionColumns =
        "tenant_id AS TenantId, model_name AS ModelName, model_version AS ModelVersion, status AS Status, reason AS Reason, " +
        "sample_size AS SampleSize, evaluated_at_ms AS EvaluatedAtMs, baseline AS Baseline";

    private const string AlertColumns =
        "id AS Id, tenant_id AS TenantId, model_name AS ModelName, model_version AS ModelVersion, feature AS Feature, metric AS Metric, " +
        "from_level AS FromLevel, to_level AS ToLevel, value AS Value, threshold AS Threshold, sample_size AS SampleSize, at_ms AS AtMs";

    private const string UpsertVersion =
        "INSERT INTO version_states (tenant_id, model_name, model_version, status, reason, sample_size, evaluated_at_ms, baseline) " +
        "VALUES (@TenantId, @ModelName, @ModelVersion, @Status, @Reason, @SampleSize, @EvaluatedAtMs, @Baseline) " +
        "ON CONFLICT (tenant_id, model_name, model_version) DO UPDATE SET status = excluded.status, reason = excluded.reason, " +
        "sample_size = excluded.sample_size, evaluated_at_ms = COALESCE(excluded.evaluated_at_ms, version_states.evaluated_at_ms), " +
        "baseline = COALESCE(excluded.baseline, version_states.baseline)";

    public async Task<long> NextOffsetAsync(string stream, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT next_offset FROM stream_offsets WHERE stream = @stream", new { stream }) ?? 0;
    }

    /// <summary>
    /// Stores the windows (a window id seen before is ignored: replays never double-count), counts the rejections,
    /// records versions found unmapped, and moves the stream's offset, all in one transaction.
    /// </summary>
    public async Task CommitAsync(
        string stream, long nextOffset, IReadOnlyList<StoredWindow> windows, IReadOnlyList<Rejection> rejections,
        IReadOnlyList<VersionRow> unmapped, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var w in windows)
        {
            await connection.ExecuteAsync(
                "INSERT INTO stats_windows (tenant_id, model_name, model_version, window_id, window_end_ms, row_count, stream_offset, body) " +
                "VALUES (@TenantId, @ModelName, @ModelVersion, @WindowId, @WindowEndMs, @Rows, @Offset, @Body) " +
                "ON CONFLICT (tenant_id, model_name, model_version, window_id) DO NOTHING",
                new { w.Version.TenantId, w.Version.ModelName, w.Version.ModelVersion, w.WindowId, w.WindowEndMs, w.Rows, w.Offset, w.Body }, transaction);
        }

        foreach (var group in rejections.GroupBy(r => r))
        {
            await connection.ExecuteAsync(
                "INSERT INTO rejections (stream, reason, count) VALUES (@Stream, @Reason, @Count) " +
                "ON CONFLICT (stream, reason) DO UPDATE SET count = rejections.count + excluded.count",
                new { group.Key.Stream, group.Key.Reason, Count = (long)group.Count() }, transaction);
        }

        foreach (var row in unmapped)
        {
            await connection.ExecuteAsync(UpsertVersion, row, transaction);
        }

        await connection.ExecuteAsync(
            "INSERT INTO stream_offsets (stream, next_offset) VALUES (@stream, @nextOffset) " +
            "ON CONFLICT (stream) DO UPDATE SET next_offset = excluded.next_offset",
            new { stream, nextOffset }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<VersionKey>> VersionsWithWindowsAsync(long sinceMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WindowKeyRow>(
            "SELECT DISTINCT tenant_id AS TenantId, model_name AS ModelName, model_version AS ModelVersion FROM stats_windows WHERE window_end_ms > @sinceMs",
            new { sinceMs });
        return rows.Select(r => r.Key).ToList();
    }

    public async Task<IReadOnlyList<string>> WindowBodiesAsync(VersionKey version, long sinceMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT body FROM stats_windows WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion AND window_end_ms > @sinceMs",
            new { version.TenantId, version.ModelName, version.ModelVersion, sinceMs })).ToList();
    }

    public async Task<VersionRow?> VersionAsync(VersionKey version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM version_states WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion",
            new { version.TenantId, version.ModelName, version.ModelVersion });
    }

    public async Task<IReadOnlyList<VersionRow>> VersionsOfModelAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM version_states WHERE tenant_id = @tenant AND model_name = @model ORDER BY model_version",
            new { tenant, model })).ToList();
    }

    public async Task<IReadOnlyList<FeatureRow>> FeaturesAsync(VersionKey version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FeatureRow>(
            "SELECT feature AS Feature, level AS Level, tracker AS Tracker, latest AS Latest FROM feature_states " +
            "WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion ORDER BY feature",
            new { version.TenantId, version.ModelName, version.ModelVersion })).ToList();
    }

    /// <summary>The latest <paramref name="limit"/> points per feature (all features, or one), oldest first.</summary>
    public async Task<IReadOnlyList<PointRow>> PointsAsync(VersionKey version, string? feature, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(
            "SELECT feature AS Feature, at_ms AS AtMs, level AS Level, sample_size AS SampleSize, scores AS Scores FROM score_points " +
            "WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion AND (@feature IS NULL OR feature = @feature) " +
            "ORDER BY at_ms DESC",
            new { version.TenantId, version.ModelName, version.ModelVersion, feature });
        return rows.GroupBy(r => r.Feature).SelectMany(g => g.Take(limit).Reverse()).ToList();
    }

    public async Task<IReadOnlyList<AlertRow>> AlertsAsync(VersionKey version, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AlertRow>(
            $"SELECT {AlertColumns} FROM alert_events WHERE tenant_id = @TenantId AND model_name = @ModelName AND model_version = @ModelVersion " +
            "ORDER BY id DESC LIMIT @limit",
            new { version.TenantId, version.ModelName, version.ModelVersion, limit })).Reverse().ToList();
    }

    /// <summary>One evaluation of a version: its state, each feature's tracker and point, and the alerts it raised, together.</summary>
    public async Task SaveEvaluationAsync(
        VersionRow state, IReadOnlyList<(string Feature, string Level, string Tracker, string Latest)> features,
        IReadOnlyList<PointRow> points, IReadOnlyList<AlertRow> alerts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(UpsertVersion, state, transaction);
        var key = new { state.TenantId, state.ModelName, state.ModelVersion };
        foreach (var (feature, level, tracker, latest) in features)
        {
            await connection.ExecuteAsync(
                "INSERT INTO feature_states (tenant_id, model_name, model_version, feature, level, tracker, latest) " +
                "VALUES (@TenantId, @ModelName, @ModelVersion, @feature, @level, @tracker, @latest) " +
                "ON CONFLICT (tenant_id, model_name, model_version, feature) DO UPDATE SET level = excluded.level, tracker = excluded.tracker, latest = excluded.latest",
                new { key.TenantId, key.ModelName, key.ModelVersion, feature, level, tracker, latest }, transaction);
        }

        foreach (var p in points)
        {
            await connection.ExecuteAsync(
                "INSERT INTO score_points (tenant_id, model_name, model_version, feature, at_ms, level, sample_size, scores) " +
                "VALUES (@TenantId, @ModelName, @ModelVersion, @Feature, @AtMs, @Level, @SampleSize, @Scores) " +
                "ON CONFLICT (tenant_id, model_name, model_version, feature, at_ms) DO NOTHING",
                new { key.TenantId, key.ModelName, key.ModelVersion, p.Feature, p.AtMs, p.Level, p.SampleSize, p.Scores }, transaction);
        }

        foreach (var a in alerts)
        {
            await connection.ExecuteAsync(
                "INSERT INTO alert_events (tenant_id, model_name, model_version, feature, metric, from_level, to_level, value, threshold, sample_size, at_ms, published) " +
                "VALUES (@TenantId, @ModelName, @ModelVersion, @Feature, @Metric, @FromLevel, @ToLevel, @Value, @Threshold, @SampleSize, @AtMs, 0)",
                a, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AlertRow>> UnpublishedAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AlertRow>($"SELECT {AlertColumns} FROM alert_events WHERE published = 0 ORDER BY id")).ToList();
    }

    public async Task MarkPublishedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE alert_events SET published = 1 WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyDictionary<string, long>> RejectionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Reason, long Count)>("SELECT reason, count FROM rejections");
        return rows.ToDictionary(r => r.Reason, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>Drops windows older than every evaluation window and score and accuracy points beyond the series' length in time.</summary>
    public async Task PruneAsync(long windowsBeforeMs, long pointsBeforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM stats_windows WHERE window_end_ms <= @windowsBeforeMs", new { windowsBeforeMs });
        await connection.ExecuteAsync("DELETE FROM score_points WHERE at_ms < @pointsBeforeMs", new { pointsBeforeMs });
        await connection.ExecuteAsync("DELETE FROM accuracy_points WHERE at_ms < @pointsBeforeMs", new { pointsBeforeMs });
    }
}
