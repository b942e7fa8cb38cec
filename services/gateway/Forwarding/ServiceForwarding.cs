using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// The APIs of the other services behind the gateway: the drift monitor's (<c>/v1/drift/…</c>) and the retrainer's
/// (<c>/v1/retrains/…</c>). They pass through as the registry's API does, with the same rule: a known key of at
/// least viewer, checked here first, then the caller's own key travels on and the service scopes the answer to
/// its tenant and checks the role an action needs.
/// </summary>
internal static class ServiceForwarding
{
    public static void MapServiceForwarding(this IEndpointRouteBuilder app)
    {
        var gateway = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var options = app.ServiceProvider.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.ActivityTimeoutSeconds) };
        foreach (var (prefix, target) in new[] { ("/v1/drift", gateway.DriftMonitorUrl), ("/v1/retrains", gateway.RetrainerUrl) })
        {
            // No bare prefix: neither API answers one, and a forward to a service that is down would be a 502.
            app.MapForwarder(prefix + "/{**rest}", target, config).RequireAuthorization(Policies.Viewer);
        }
    }
}
