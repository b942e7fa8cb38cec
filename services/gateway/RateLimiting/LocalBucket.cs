namespace Orbit.Gateway.RateLimiting;

/// <summary>
/// A token bucket in this process alone: the rate limit of <see cref="RateLimitOutageMode.Local"/> while
/// Redis is unreachable, and the per-address limit on lookups of unknown API keys.
/// </summary>
internal sealed class LocalBucket(int burst)
{
    private double _tokens = burst;
    private long _at = -1;

    public (bool Allowed, TimeSpan RetryAfter) TryTake(TimeProvider time, int rate, int burst)
    {
        var now = time.GetTimestamp();
        lock (this)
        {
            if (_at >= 0)
            {
                _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_at, now).TotalSeconds * rate));
            }

            _at = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return (true, TimeSpan.Zero);
            }

            return (false, TimeSpan.FromSeconds((1 - _tokens) / rate));
        }
    }

    /// <summary>Returns a token taken for something that turned out not to count.</summary>
    public void GiveBack(int burst)
    {
        lock (this)
        {
            _tokens = Math.Min(burst, _tokens + 1);
        }
    }
}
