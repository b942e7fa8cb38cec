using System.ComponentModel.DataAnnotations;
using Orbit.Gateway.RateLimiting;

namespace Orbit.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Orbit:Gateway";

    /// <summary>The registry the gateway checks keys with and forwards the model-management API to.</summary>
    [Required]
    [Url]
    public string RegistryUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>The drift monitor the gateway forwards <c>/v1/drift/…</c> to.</summary>
    [Required]
    [Url]
    public string DriftMonitorUrl { get; set; } = "http://127.0.0.1:8082";

    /// <summary>The retrainer the gateway forwards <c>/v1/retrains/…</c> to.</summary>
    [Required]
    [Url]
    public string RetrainerUrl { get; set; } = "http://127.0.0.1:8083";

    /// <summary>
    /// How long a validated key is trusted before the registry is asked again. A revocation takes
    /// effect at once through the <c>ApiKeyRevoked</c> event; this bounds it when the bus is down.
    /// </summary>
    [Range(0, 300)]
    public int KeyCacheSeconds { get; set; } = 5;

    /// <summary>How long a key the registry does not know is remembered as unknown (negative caching).</summary>
    [Range(0, 3600)]
    public int UnknownKeyCacheSeconds { get; set; } = 60;

    /// <summary>Lookups of uncached keys the registry may get per second from one client address (only unknown keys are charged).</summary>
    [Range(1, 100_000)]
    public int UnknownKeyLookupsPerSecond { get; set; } = 5;

    /// <summary>How many such lookups one client address may make at once above the steady rate.</summary>
    [Range(1, 100_000)]
    public int UnknownKeyLookupBurst { get; set; } = 20;

    /// <summary>Inference requests per second each tenant may make (token bucket refill rate).</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 2_000;

    /// <summary>How many requests a tenant may make at once above the steady rate.</summary>
    [Range(1, 10_000_000)]
    public int RateLimitBurst { get; set; } = 4_000;

    /// <summary>What the rate limiter does while Redis, which holds the shared buckets, is unreachable.</summary>
    public RateLimitOutageMode RateLimitOutageMode { get; set; } = RateLimitOutageMode.HeldTokens;

    /// <summary>The largest inference request body accepted (bytes).</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How many messages per model may be in flight to the workers before further requests are coalesced into one.</summary>
    [Range(1, 1024)]
    public int CoalesceMaxInFlight { get; set; } = 8;

    /// <summary>The most requests one coalesced message carries.</summary>
    [Range(1, 4096)]
    public int CoalesceMaxRequests { get; set; } = 64;

    /// <summary>
    /// The largest message the gateway puts on the bus (bytes): RabbitMQ's <c>max_message_size</c>,
    /// 128 MiB by default since 3.10. Coalesced groups are cut to stay under it; a single request
    /// over it is refused with 413.
    /// </summary>
    [Range(65_536, 512L * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>How many requests per model may wait at this gateway for an in-flight slot; beyond it, 503 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedRequests { get; set; } = 1024;

    /// <summary>How long an inference may take, end to end, unless the request asks for less (parameter <c>timeout</c>, ms).</summary>
    [Range(10, 600_000)]
    public int InferenceTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// The port of the gRPC Open Inference Protocol endpoint (HTTP/2 without TLS, on the hosts of the REST
    /// <c>Urls</c>); 0 serves no gRPC. <c>./orbit up</c> sets the REST port + 4 (8084).
    /// </summary>
    [Range(0, 65_535)]
    public int GrpcPort { get; set; }
}
