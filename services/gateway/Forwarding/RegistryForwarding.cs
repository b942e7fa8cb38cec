using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// The model-management API lives in the registry; the gateway passes it through unchanged
/// (headers, body, streaming uploads), so the gateway is the only address clients need. The
/// registry authenticates these calls itself, with the caller's own key; the gateway checks the key
/// first too (viewer, the least any of them needs), so unknown keys meet its negative cache and
/// per-address limit instead of being forwarded.
/// </summary>
internal static class RegistryForwarding
{
    private static readonly string[] Prefixes = ["/v1/models", "/v1/audit", "/v1/keys", "/v1/tenants", "/v1/auth"];

    public static void MapRegistryForwarding(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.RegistryUrl;
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) };
        foreach (var prefix in Prefixes)
        {
            app.MapForwarder(prefix, registry, config).RequireAuthorization(Policies.Viewer);
            app.MapForwarder(prefix + "/{**rest}", registry, config).RequireAuthorization(Policies.Viewer);
        }
    }
}
