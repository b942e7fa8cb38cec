using Microsoft.Extensions.Options;
using Orbit.Gateway.RateLimiting;

namespace Orbit.Gateway.Predictions;

/// <summary>What the prediction endpoints need, taken as one <c>[AsParameters]</c> argument.</summary>
internal sealed class PredictionServices(
    PredictionSubmitter submitter,
    PredictionStore store,
    TenantRateLimiter rateLimiter,
    IOptions<GatewayOptions> options)
{
    public PredictionSubmitter Submitter { get; } = submitter;

    public PredictionStore Store { get; } = store;

    public TenantRateLimiter RateLimiter { get; } = rateLimiter;

    public IOptions<GatewayOptions> Options { get; } = options;
}
