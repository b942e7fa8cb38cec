using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// The drift API (<c>/v1/drift/{model}…</c>; there is no bare <c>/v1/drift</c>) lives in the drift monitor; the gateway passes it through as it does the
/// registry's API, with the same rule: a known key of at least viewer, checked here first, then the caller's own
/// key travels on and the monitor scopes the answer to its tenant.
/// </summary>
internal static class DriftForwarding
{
    public static void MapDriftForwarding(this IEndpointRouteBuilder app)
    {
        var monitor = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.DriftMonitorUrl;
        var options = app.ServiceProvider.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.ActivityTimeoutSeconds) };
        app.MapForwarder("/v1/drift/{**rest}", monitor, config).RequireAuthorization(Policies.Viewer);
    }
}
