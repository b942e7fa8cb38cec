namespace Orbit.Gateway.RateLimiting;

/// <summary>What <see cref="TenantRateLimiter"/> does while Redis cannot be asked for tokens.</summary>
public enum RateLimitOutageMode
{
    /// <summary>Spend the tokens this gateway already took from Redis, then refuse with 503 (never grants more than Redis did).</summary>
    HeldTokens,

    /// <summary>Refuse with 503 as soon as a token would have to come from Redis.</summary>
    Refuse,

    /// <summary>Keep admitting from a token bucket of this gateway's own at the configured rate and burst (each gateway grants up to the limit).</summary>
    Local,
}
