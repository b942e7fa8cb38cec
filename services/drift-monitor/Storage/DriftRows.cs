namespace Orbit.DriftMonitor.Storage;

/// <summary>A model version, as the store keys everything.</summary>
internal sealed record VersionKey(string TenantId, string ModelName, int ModelVersion);

/// <summary>An accepted statistics window, ready to store.</summary>
internal sealed record StoredWindow(VersionKey Version, string WindowId, long WindowEndMs, long Rows, long Offset, string Body);

/// <summary>A rejected stream message, counted by the kind of reason (a bounded set: see <c>RejectionKinds</c>).</summary>
internal sealed record Rejection(string Stream, string Reason);

// Dapper row shapes (settable properties: SQLite hands integers back as Int64).
internal sealed class VersionRow
{
    public string TenantId { get; set; } = "";

    public string ModelName { get; set; } = "";

    public long ModelVersion { get; set; }

    public string Status { get; set; } = "";

    public string? Reason { get; set; }

    public long SampleSize { get; set; }

    public long? EvaluatedAtMs { get; set; }

    public string? Baseline { get; set; }

    public VersionKey Key => new(TenantId, ModelName, (int)ModelVersion);
}

internal sealed class FeatureRow
{
    public string Feature { get; set; } = "";

    public string Level { get; set; } = "";

    public string Tracker { get; set; } = "";

    public string Latest { get; set; } = "";
}

internal sealed class PointRow
{
    public string Feature { get; set; } = "";

    public long AtMs { get; set; }

    public string Level { get; set; } = "";

    public long SampleSize { get; set; }

    public string Scores { get; set; } = "";
}

internal sealed class AlertRow
{
    public long Id { get; set; }

    public string TenantId { get; set; } = "";

    public string ModelName { get; set; } = "";

    public long ModelVersion { get; set; }

    public string Feature { get; set; } = "";

    public string Metric { get; set; } = "";

    public string FromLevel { get; set; } = "";

    public string ToLevel { get; set; } = "";

    public double Value { get; set; }

    public double Threshold { get; set; }

    public long SampleSize { get; set; }

    public long AtMs { get; set; }
}

internal sealed class WindowKeyRow
{
    public string TenantId { get; set; } = "";

    public string ModelName { get; set; } = "";

    public long ModelVersion { get; set; }

    public VersionKey Key => new(TenantId, ModelName, (int)ModelVersion);
}
