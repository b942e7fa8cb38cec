using Orbit.Contracts.Drift;

namespace Orbit.Drift.Alerts;

/// <summary>A level change, with the value and the threshold that caused it (the clear threshold when falling).</summary>
public sealed record AlertTransition(AlertLevel From, AlertLevel To, double Value, double Threshold)
{
    public bool Rises => To > From;
}

/// <summary>
/// The tiered state of one feature (or of a version's accuracy) with hysteresis: ok → warning → critical and back.
/// Its fields are the whole state (runs of consecutive evaluations), so a store can save and restore it.
/// Evaluations without enough data are not steps: they neither advance nor break a run.
/// </summary>
public sealed class AlertTracker
{
    public AlertLevel Level { get; set; }

    /// <summary>Consecutive evaluations past the warning threshold.</summary>
    public int PastWarning { get; set; }

    public int PastCritical { get; set; }

    /// <summary>Consecutive evaluations on the safe side of the warning's clear threshold.</summary>
    public int SafeOfWarning { get; set; }

    public int SafeOfCritical { get; set; }

    public AlertTransition? Step(double value, AlertThresholds thresholds)
    {
        if (double.IsNaN(value))
        {
            return null;
        }

        PastWarning = thresholds.Past(value, thresholds.Warning) ? PastWarning + 1 : 0;
        PastCritical = thresholds.Past(value, thresholds.Critical) ? PastCritical + 1 : 0;
        SafeOfWarning = thresholds.SafeOf(value, thresholds.WarningClear) ? SafeOfWarning + 1 : 0;
        SafeOfCritical = thresholds.SafeOf(value, thresholds.CriticalClear) ? SafeOfCritical + 1 : 0;

        var k = thresholds.Consecutive;
        var target = Level switch
        {
            AlertLevel.Ok when PastCritical >= k => AlertLevel.Critical,
            AlertLevel.Ok when PastWarning >= k => AlertLevel.Warning,
            AlertLevel.Warning when PastCritical >= k => AlertLevel.Critical,
            AlertLevel.Warning when SafeOfWarning >= k => AlertLevel.Ok,
            AlertLevel.Critical when SafeOfCritical >= k => SafeOfWarning >= k ? AlertLevel.Ok : AlertLevel.Warning,
            _ => Level,
        };
        if (target == Level)
        {
            return null;
        }

        var threshold = target > Level
            ? (target == AlertLevel.Critical ? thresholds.Critical : thresholds.Warning)
            : (Level == AlertLevel.Critical ? thresholds.CriticalClear : thresholds.WarningClear);
        var transition = new AlertTransition(Level, target, value, threshold);
        Level = target;
        return transition;
    }
}
