namespace Orbit.Retrainer.Triggers;

/// <summary>
/// What to do with a trigger: act on it, record it as skipped with <see cref="Reason"/>, or (<see cref="Defer"/>) keep it
/// until the cooldown ends and act on it then.
/// </summary>
internal readonly record struct TriggerVerdict(bool Accept, string Reason, bool Defer = false)
{
    public static TriggerVerdict Accepted(string reason) => new(true, reason);

    public static TriggerVerdict Skipped(string reason) => new(false, reason);

    public static TriggerVerdict Deferred(string reason) => new(false, reason, Defer: true);
}

/// <summary>
/// Per model: one attempt at a time (a trigger while one is pending or running is skipped); automatic triggers
/// within the debounce window of the last acted-on trigger are skipped; those within the cooldown after the last
/// registered version are deferred to its end (a drift that persists is acted on then, not lost because it arrived
/// early). An explicit request is exempt from both: an operator asked.
/// </summary>
internal static class TriggerPolicy
{
    public static TriggerVerdict Decide(
        string kind,
        DateTimeOffset now,
        string? activeAttempt,
        DateTimeOffset? lastAccepted,
        DateTimeOffset? lastRegistered,
        TimeSpan debounce,
        TimeSpan cooldown)
    {
        if (activeAttempt is not null)
        {
            return TriggerVerdict.Skipped($"attempt {activeAttempt} of this model is already pending or running");
        }

        if (kind == TriggerKind.Request)
        {
            return TriggerVerdict.Accepted("requested explicitly (debounce and cooldown do not apply)");
        }

        if (lastAccepted is { } accepted && now - accepted < debounce)
        {
            return TriggerVerdict.Skipped(
                $"debounced: a trigger was acted on at {accepted:O}, within the {debounce.TotalSeconds:0} s window");
        }

        if (lastRegistered is { } registered && now - registered < cooldown)
        {
            return TriggerVerdict.Deferred(
                $"cooling down: a version was registered at {registered:O}; deferred until {registered + cooldown:O}");
        }

        return TriggerVerdict.Accepted("accepted");
    }
}
