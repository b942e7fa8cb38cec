using Microsoft.Extensions.Time.Testing;

namespace Orbit.Registry.Tests.Models;

/// <summary>A fake clock that also says whether anything has asked it for a timer yet, so a test advances it only once the wait has begun.</summary>
internal sealed class ManualTimeProvider : FakeTimeProvider
{
    private int _timers;

    public bool HasTimers => Volatile.Read(ref _timers) > 0;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
