using Grpc.Core;
using Grpc.Core.Interceptors;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Logging;
using StackExchange.Redis;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// What the REST exception handler does, for gRPC calls: an unreachable store or registry is UNAVAILABLE with a
/// text fit for clients; anything else unexpected is INTERNAL with the correlation id, and logged under it.
/// Refusals already thrown as <see cref="RpcException"/> pass unchanged.
/// </summary>
internal sealed partial class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled or its deadline passed"));
        }
        catch (Exception ex) when (ex is DependencyUnavailableException or RedisException or HttpRequestException)
        {
            LogUnavailable(logger, ex, context.Method);
            var detail = ex is DependencyUnavailableException ? ex.Message : "A service or store the gateway depends on is not reachable right now; retry shortly.";
            throw new RpcException(new Status(StatusCode.Unavailable, detail));
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal,
                $"An unexpected error occurred (correlation id {Correlation.Current ?? "none"}); it is in the service's log."));
        }
    }

    [LoggerMessage(EventId = GatewayLogEvents.GrpcUnavailable, Level = LogLevel.Warning, Message = "Answered UNAVAILABLE on gRPC {Method}: a dependency is unreachable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = GatewayLogEvents.GrpcUnhandled, Level = LogLevel.Error, Message = "Unhandled exception on gRPC {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
