using Orbit.Hosting.Security;

namespace Orbit.Gateway.Inference;

/// <summary>Records each inference's duration by tenant, model, version and status code.</summary>
internal sealed class InferenceMetricsFilter(GatewayMetrics metrics, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = time.GetTimestamp();
        var result = await next(context);
        var http = context.HttpContext;
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
        metrics.Answered(
            Caller.From(http.User).TenantId,
            http.GetRouteValue("model") as string ?? "",
            (answer as IModelVersionResult)?.Version,
            status,
            time.GetElapsedTime(started));
        return result;
    }
}
