using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// The model-management API lives in the registry; the gateway passes it through unchanged
/// (headers, body, streaming uploads), so the gateway is the only address clients need. The
/// registry authenticates these calls itself, with the caller's own key.
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
            app.MapForwarder(prefix, registry, config).AllowAnonymous();
            app.MapForwarder(prefix + "/{**rest}", registry, config).AllowAnonymous();
        }
    }
}
