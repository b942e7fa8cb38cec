namespace Orbit.Gateway;

/// <summary>Every log event id of the gateway, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class GatewayLogEvents
{
    public const int FleetRefreshFailed = 3101;
    public const int KeyRevoked = 3201;
    public const int RateLimitStoreUnreachable = 3301;
    public const int ServingWindowLost = 3401;
}
