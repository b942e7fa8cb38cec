using Microsoft.Extensions.Time.Testing;
using Orbit.Retrainer.Triggers;

namespace Orbit.Retrainer.Tests.Triggers;

public sealed class TriggerPolicyTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Cooldown = TimeSpan.FromHours(24);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_first_trigger_is_accepted()
    {
        Assert.True(Decide(TriggerKind.Drift, null, null, null).Accept);
    }

    [Fact]
    public void A_trigger_within_the_debounce_window_is_skipped_and_one_after_it_is_accepted()
    {
        var accepted = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(4));

        var within = Decide(TriggerKind.Drift, null, accepted, null);
        Assert.False(within.Accept);
        Assert.False(within.Defer);
        Assert.StartsWith("debounced", within.Reason);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Decide(TriggerKind.Accuracy, null, accepted, null).Accept);
    }

    [Fact]
    public void Automatic_triggers_within_the_cooldown_after_a_registered_version_are_deferred_to_its_end()
    {
        var registered = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromHours(23));

        var cooling = Decide(TriggerKind.Schedule, null, registered, registered);
        Assert.False(cooling.Accept);
        Assert.True(cooling.Defer);
        Assert.Contains("cooling down", cooling.Reason);
        Assert.Contains("2026-12-01T08:00:00", cooling.Reason);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(Decide(TriggerKind.Schedule, null, registered, registered).Accept);
    }

    [Fact]
    public void An_explicit_request_skips_debounce_and_cooldown()
    {
        var now = _time.GetUtcNow();

        Assert.True(Decide(TriggerKind.Request, null, now, now).Accept);
    }

    [Fact]
    public void Nothing_is_accepted_while_an_attempt_of_the_model_is_pending_or_running()
    {
        var verdict = Decide(TriggerKind.Request, "a-1", null, null);

        Assert.False(verdict.Accept);
        Assert.Contains("a-1", verdict.Reason);
    }

    private TriggerVerdict Decide(string kind, string? active, DateTimeOffset? accepted, DateTimeOffset? registered) =>
        TriggerPolicy.Decide(kind, _time.GetUtcNow(), active, accepted, registered, Debounce, Cooldown);
}
