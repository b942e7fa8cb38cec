namespace Orbit.Retrainer.Gate;

/// <summary>What the gate asks of a candidate (from <c>Orbit:Retrainer:Gate</c> and the model's entry).</summary>
internal sealed record GateRules(
    string Primary,
    IReadOnlyList<string> Guards,
    double MinImprovement,
    double Tolerance,
    IReadOnlyDictionary<string, double> Bounds,
    bool ForcePastGate = false);

/// <summary>One comparison the gate made: <c>bound</c>, <c>improvement</c> (primary vs stable) or <c>guard</c>.</summary>
internal sealed record GateCheck(string Metric, string Kind, double Candidate, double? Stable, double Threshold, bool Passed);

/// <summary>The gate's verdict; <see cref="Reason"/> names every failed check, and says when the gate was forced.</summary>
internal sealed record GateDecision(bool Passed, bool Forced, string Reason, IReadOnlyList<GateCheck> Checks);

/// <summary>
/// The validation gate, TFX-evaluator style, on metrics of the candidate and of the stable version computed on the
/// same held-out rows: every absolute bound must hold; the candidate must beat stable on the primary metric by at
/// least <see cref="GateRules.MinImprovement"/>; and no guard metric may be worse than stable's by more than
/// <see cref="GateRules.Tolerance"/>. With no stable version only the bounds apply. A metric that cannot be computed
/// (NaN: a holdout with one class for AUC) fails its check.
/// </summary>
internal static class ValidationGate
{
    public static GateDecision Decide(GateRules rules, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? stable)
    {
        var checks = new List<GateCheck>();
        foreach (var (metric, bound) in rules.Bounds.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var value = candidate.GetValueOrDefault(metric, double.NaN);
            var passed = ModelMetrics.HigherIsBetter(metric) ? value >= bound : value <= bound;
            checks.Add(new GateCheck(metric, "bound", value, null, bound, passed));
        }

        if (stable is not null)
        {
            var value = candidate.GetValueOrDefault(rules.Primary, double.NaN);
            var reference = stable.GetValueOrDefault(rules.Primary, double.NaN);
            var needed = ModelMetrics.HigherIsBetter(rules.Primary) ? reference + rules.MinImprovement : reference - rules.MinImprovement;
            // A stable version whose metric is NaN cannot be beaten by a number, only matched: a finite candidate passes.
            var passed = double.IsNaN(reference)
                ? double.IsFinite(value)
                : ModelMetrics.HigherIsBetter(rules.Primary) ? value >= needed : value <= needed;
            checks.Add(new GateCheck(rules.Primary, "improvement", value, reference, needed, passed));

            foreach (var guard in rules.Guards.Where(g => g != rules.Primary))
            {
                var guardValue = candidate.GetValueOrDefault(guard, double.NaN);
                var guardReference = stable.GetValueOrDefault(guard, double.NaN);
                var limit = ModelMetrics.HigherIsBetter(guard) ? guardReference - rules.Tolerance : guardReference + rules.Tolerance;
                var ok = double.IsNaN(guardReference)
                    || (ModelMetrics.HigherIsBetter(guard) ? guardValue >= limit : guardValue <= limit);
                checks.Add(new GateCheck(guard, "guard", guardValue, guardReference, limit, ok));
            }
        }
        else if (!double.IsFinite(candidate.GetValueOrDefault(rules.Primary, double.NaN)))
        {
            checks.Add(new GateCheck(rules.Primary, "improvement", double.NaN, null, double.NaN, false));
        }

        var failed = checks.Where(c => !c.Passed).ToList();
        var verdict = failed.Count == 0
            ? stable is null
                ? $"passed: no stable version to compare with; {rules.Primary} {Format(candidate.GetValueOrDefault(rules.Primary, double.NaN))}"
                : $"passed: {rules.Primary} {Format(candidate[rules.Primary])} vs stable {Format(stable.GetValueOrDefault(rules.Primary, double.NaN))}"
            : "failed: " + string.Join("; ", failed.Select(Describe));
        if (failed.Count > 0 && rules.ForcePastGate)
        {
            return new GateDecision(true, true, "forced past the gate by configuration; " + verdict, checks);
        }

        return new GateDecision(failed.Count == 0, false, verdict, checks);
    }

    private static string Describe(GateCheck check) => check.Kind switch
    {
        "bound" => $"{check.Metric} {Format(check.Candidate)} is outside its bound {Format(check.Threshold)}",
        "improvement" when check.Stable is null => $"{check.Metric} cannot be computed on the holdout",
        "improvement" => $"{check.Metric} {Format(check.Candidate)} does not beat stable {Format(check.Stable!.Value)} by the margin (needs {Format(check.Threshold)})",
        _ => $"{check.Metric} {Format(check.Candidate)} regresses from stable {Format(check.Stable!.Value)} beyond the tolerance (limit {Format(check.Threshold)})",
    };

    private static string Format(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
