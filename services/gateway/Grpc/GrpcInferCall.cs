using Grpc.Core;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Inference;
using Orbit.Hosting.Security;
using Orbit.Contracts.Models;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// <c>ModelInfer</c>, in the REST handler's steps and with its pieces (<see cref="InferRequest"/>): admit (rate
/// limit), route (the deployment, then the version), read (the message), forward (over the bus to a worker), write
/// (the answer, or the REST refusal's text under its gRPC code). A gRPC deadline bounds the wait like the
/// <c>timeout</c> parameter: the shorter of the two, and never more than the gateway's limit.
/// </summary>
internal static class GrpcInferCall
{
    public static async Task<(ModelInferResponse? Response, GrpcRefusal? Refusal)> HandleAsync(ModelInferRequest message, ServerCallContext call, InferenceServices services)
    {
        var context = call.GetHttpContext();
        var caller = Caller.From(context.User);
        if (await InferRequest.AdmitAsync(caller, services) is { } refused)
        {
            return (null, GrpcRefusal.From(refused));
        }

        var model = message.ModelName;
        if (model.Length == 0)
        {
            return (null, GrpcRefusal.InvalidArgument("'model_name' is required"));
        }

        var (table, notDeployed) = InferenceEndpoints.FindDeployment(services.Routing, caller.TenantId, model);
        if (table is null)
        {
            return (null, GrpcRefusal.From(notDeployed!));
        }

        DeploymentRoute? named = null;
        if (message.ModelVersion.Length > 0)
        {
            (named, var versionError) = InferenceEndpoints.FindVersion(table, message.ModelVersion);
            if (versionError is not null)
            {
                return (null, GrpcRefusal.From(versionError));
            }
        }

        var (request, readError) = GrpcInferRequestReader.Read(message);
        if (request is null)
        {
            return (null, GrpcRefusal.InvalidArgument(readError!));
        }

        var route = named ?? InferRequest.Route(table, context.Request.Headers[InferenceEndpoints.RoutingKeyHeader].ToString(), request.RoutingKey,
            v => services.Fleet.Serves(caller.TenantId, model, v));
        if (route is null)
        {
            return (null, GrpcRefusal.From(OipError.NotFound($"model '{model}' has no version taking traffic")));
        }

        if (!services.Fleet.Serves(caller.TenantId, model, route.Version))
        {
            return (null, new GrpcRefusal(StatusCode.Unavailable, $"no worker is serving version {route.Version} of model '{model}' right now", StatusCodes.Status503ServiceUnavailable, route.Version));
        }

        var left = call.Deadline == DateTime.MaxValue ? (TimeSpan?)null : call.Deadline - services.Time.GetUtcNow().UtcDateTime;
        if (left is { } remaining)
        {
            if (remaining <= TimeSpan.Zero)
            {
                return (null, new GrpcRefusal(StatusCode.DeadlineExceeded, "the call's deadline passed before it was sent to a worker", StatusCodes.Status504GatewayTimeout, route.Version));
            }

            var deadlineMs = (int)Math.Clamp(Math.Ceiling(remaining.TotalMilliseconds), 1, int.MaxValue);
            request = request with { TimeoutMilliseconds = Math.Min(request.TimeoutMilliseconds ?? int.MaxValue, deadlineMs) };
        }

        var (outcome, timeout) = await InferRequest.ForwardAsync(caller, model, route, request, context, services, table);
        if (outcome.Status == ForwardStatus.Completed)
        {
            var typed = message.RawInputContents.Count == 0;
            return (GrpcInferResponseWriter.Write(model, outcome.Completed!, request.Id, caller, typed), null);
        }

        var answer = InferRequest.Write(context, model, route.Version, request.Id, outcome, timeout);
        var refusal = GrpcRefusal.From((OipError)answer.Result);
        // Over REST a full waiting queue is a 503 with Retry-After; gRPC has the code for it.
        return (null, outcome.Status == ForwardStatus.QueueFull ? refusal with { Code = StatusCode.ResourceExhausted } : refusal);
    }
}
