namespace Orbit.Contracts.Drift;

/// <summary>
/// A stream message the drift monitor could not use (malformed, an unknown model or version, bin counts that do not
/// match the baseline), sent to the <c>orbit.stats_error</c> queue with the reason; consumption goes on.
/// </summary>
/// <param name="Body">The message as read (re-serialised), when it parsed.</param>
public sealed record StreamMessageRejected(string Stream, long Offset, string Reason, string? Body, DateTimeOffset At);
