namespace Orbit.Retrainer.Triggers;

/// <summary>Where a trigger came from, as recorded (<c>drift</c>, <c>accuracy</c>, <c>schedule</c>, <c>request</c>).</summary>
internal static class TriggerKind
{
    public const string Drift = "drift";
    public const string Accuracy = "accuracy";
    public const string Schedule = "schedule";
    public const string Request = "request";
}
