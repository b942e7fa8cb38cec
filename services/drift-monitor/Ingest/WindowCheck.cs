using Orbit.Contracts.Drift;
using Orbit.Drift.Windows;

namespace Orbit.DriftMonitor.Ingest;

/// <summary>Whether a statistics window can be merged: well-formed, and shaped like its version's baseline.</summary>
internal static class WindowCheck
{
    /// <summary>Why the message is not well-formed (kind <see cref="RejectionKinds.Invalid"/>), or null.</summary>
    public static string? Invalid(FeatureStatsObserved message)
    {
        if (string.IsNullOrWhiteSpace(message.WindowId))
        {
            return "windowId is empty";
        }

        if (string.IsNullOrWhiteSpace(message.TenantId) || string.IsNullOrWhiteSpace(message.ModelName))
        {
            return "tenantId and modelName are required";
        }

        if (message.ModelVersion < 1)
        {
            return "modelVersion must be at least 1";
        }

        if (message.Rows < 0)
        {
            return "rows must not be negative";
        }

        if (message.WindowEnd < message.WindowStart)
        {
            return "windowEnd is before windowStart";
        }

        return message.Features is null ? "features are missing" : null;
    }

    /// <summary>Why the windows do not fit the baseline (kind <see cref="RejectionKinds.BaselineMismatch"/>), or null.</summary>
    public static string? Mismatch(FeatureStatsObserved message, VersionBaseline baseline)
    {
        foreach (var (name, window) in message.Features)
        {
            if (!baseline.Features.TryGetValue(name, out var feature))
            {
                return $"feature '{name}' is not in the version's baseline";
            }

            if (window is null)
            {
                return $"feature '{name}': no statistics";
            }

            if (Histogram(feature).Rejects(window) is { } reason)
            {
                return $"feature '{name}': {reason}";
            }
        }

        if (message.Predictions is { } predictions)
        {
            if (baseline.Predictions is null)
            {
                return "predictions were sent but the baseline has none";
            }

            if (Histogram(baseline.Predictions).Rejects(predictions) is { } reason)
            {
                return $"predictions: {reason}";
            }
        }

        return null;
    }

    public static WindowHistogram Histogram(FeatureBaseline baseline) => new(baseline.Kind, baseline.Edges.Length + 1);
}
