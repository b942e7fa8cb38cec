namespace Orbit.Gateway;

/// <summary>Every log event id of the gateway, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class GatewayLogEvents
{
    public const int FleetRefreshFailed = 3101;
    public const int KeyRevoked = 3201;
    public const int RateLimitStoreUnreachable = 3301;
    public const int PredictionExpired = 3401;
    public const int PredictionFinished = 3402;
    public const int KafkaStarted = 3411;
    public const int KafkaRefused = 3412;
    public const int KafkaFailed = 3413;
    public const int ServingWindowLost = 3501;
    public const int ShadowWindowLost = 3701;
    public const int ShadowMirrorFailed = 3702;
    public const int GrpcListening = 3601;
    public const int GrpcUnavailable = 3602;
    public const int GrpcUnhandled = 3603;
}
