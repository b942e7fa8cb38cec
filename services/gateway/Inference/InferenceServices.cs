using Microsoft.Extensions.Options;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.RateLimiting;
using Orbit.Routing;

namespace Orbit.Gateway.Inference;

/// <summary>What the inference endpoints need, taken as one <c>[AsParameters]</c> argument.</summary>
internal sealed class InferenceServices(
    RoutingTables routing,
    TenantRateLimiter rateLimiter,
    WorkerFleet fleet,
    InferenceForwarder forwarder,
    ModelSignatures signatures,
    IOptions<GatewayOptions> options,
    Shadow.ShadowMirror shadow,
    TimeProvider time)
{
    public RoutingTables Routing { get; } = routing;

    public TenantRateLimiter RateLimiter { get; } = rateLimiter;

    public WorkerFleet Fleet { get; } = fleet;

    public InferenceForwarder Forwarder { get; } = forwarder;

    public ModelSignatures Signatures { get; } = signatures;

    public IOptions<GatewayOptions> Options { get; } = options;

    public Shadow.ShadowMirror Shadow { get; } = shadow;

    public TimeProvider Time { get; } = time;
}
