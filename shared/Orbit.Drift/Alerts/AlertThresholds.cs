namespace Orbit.Drift.Alerts;

/// <summary>
/// Tiers of one metric. A level is entered after <see cref="Consecutive"/> evaluations in a row past its threshold and
/// left after as many in a row on the safe side of its clear threshold (<see cref="ClearFactor"/> × the threshold for
/// distances; the threshold ÷ the factor for p-values, where lower is worse).
/// </summary>
public sealed record AlertThresholds(double Warning, double Critical, bool HigherIsWorse = true, int Consecutive = 3, double ClearFactor = 0.8)
{
    public double WarningClear => Clear(Warning);

    public double CriticalClear => Clear(Critical);

    public bool Past(double value, double threshold) => HigherIsWorse ? value > threshold : value < threshold;

    public bool SafeOf(double value, double clearThreshold) => HigherIsWorse ? value < clearThreshold : value > clearThreshold;

    public string? Invalid()
    {
        if (Consecutive < 1)
        {
            return "consecutive must be at least 1";
        }

        if (ClearFactor is <= 0 or > 1)
        {
            return "clearFactor must be in (0, 1]";
        }

        return (HigherIsWorse ? Critical < Warning : Critical > Warning) ? "critical must be past warning" : null;
    }

    private double Clear(double threshold) => HigherIsWorse ? threshold * ClearFactor : threshold / ClearFactor;
}
