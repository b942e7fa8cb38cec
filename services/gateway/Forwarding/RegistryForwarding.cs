using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// The model-management API lives in the registry; the gateway passes it through unchanged
/// (headers, body, streaming uploads), so the gateway is the only address clients need. The
/// registry authenticates these calls itself, with the caller's own key, and is the authority on
/// upload limits: its 413 reaches the client as it sent it. The gateway checks the key first too
/// (viewer, the least any of them needs), so unknown keys meet its negative cache and per-address
/// limit instead of being forwarded.
/// </summary>
internal static class RegistryForwarding
{
    private static readonly string[] Prefixes = ["/v1/models", "/v1/audit", "/v1/keys", "/v1/tenants", "/v1/auth", "/v1/batch-jobs", "/v1/files"];

    public static IServiceCollection AddRegistryForwarding(this IServiceCollection services)
    {
        services.AddValidatedOptions<ForwardingOptions>(ForwardingOptions.Section);
        return services;
    }

    public static void MapRegistryForwarding(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.RegistryUrl;
        var options = app.ServiceProvider.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.ActivityTimeoutSeconds) };
        foreach (var prefix in Prefixes)
        {
            app.MapForwarder(prefix, registry, config, ExpectContinueTransformer.Instance).RequireAuthorization(Policies.Viewer).Add(b => RaiseBodyLimit(b, options.MaxRequestBodyBytes));
            app.MapForwarder(prefix + "/{**rest}", registry, config, ExpectContinueTransformer.Instance).RequireAuthorization(Policies.Viewer).Add(b => RaiseBodyLimit(b, options.MaxRequestBodyBytes));
        }
    }

    // Kestrel's server-wide default (30 MB) would cut a model upload off mid-stream, which the
    // client sees as a broken connection rather than an answer.
    private static void RaiseBodyLimit(EndpointBuilder endpoint, long limit)
    {
        var next = endpoint.RequestDelegate!;
        endpoint.RequestDelegate = context =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = limit;
            }

            return next(context);
        };
    }
}
