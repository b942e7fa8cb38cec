using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Grpc;

/// <summary>The gRPC Open Inference Protocol endpoint (docs/gateway.md): its service, its limits and its HTTP/2 port.</summary>
internal static class GrpcModule
{
    public static WebApplicationBuilder AddGatewayGrpc(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGrpc(grpc => grpc.Interceptors.Add<GrpcErrorInterceptor>());
        // A message may be as large as a REST body may (Orbit:Gateway:MaxRequestBytes); larger is RESOURCE_EXHAUSTED.
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GatewayOptions>>((grpc, gateway) =>
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, gateway.Value.MaxRequestBytes));
        services.AddSingleton<InferenceServices>();
        GrpcListener.Configure(builder);
        return builder;
    }

    public static void MapGatewayGrpc(this IEndpointRouteBuilder app) => app.MapGrpcService<InferenceGrpcService>();
}
