using Orbit.Gateway.Serving;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Records each inference's duration by tenant, model, version and status code, and reports it to the
/// version's serving window (<see cref="ServingWindows"/>). The model label is
/// a deployed model's name or <see cref="UnknownModel"/>: names in URLs are the client's to choose,
/// and each new label value would be a new series for as long as the process lives.
/// </summary>
internal sealed class InferenceMetricsFilter(GatewayMetrics metrics, ServingWindows windows, RoutingTables routing, TimeProvider time) : IEndpointFilter
{
    public const string UnknownModel = "_unknown";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = time.GetTimestamp();
        var result = await next(context);
        var http = context.HttpContext;
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
        Record(Caller.From(http.User).TenantId, http.GetRouteValue("model") as string, (answer as IModelVersionResult)?.Version, status, time.GetElapsedTime(started));
        return result;
    }

    /// <summary>Records one answer. The gRPC endpoint records its calls here too, with the HTTP status the same answer has over REST.</summary>
    public void Record(string tenant, string? requestedModel, int? version, int status, TimeSpan elapsed)
    {
        var model = ModelLabel(tenant, requestedModel);
        metrics.Answered(tenant, model, version, status, elapsed);
        if (version is { } served && model != UnknownModel)
        {
            windows.Record(tenant, model, served, status, elapsed);
        }
    }

    private string ModelLabel(string tenant, string? model) =>
        model is not null && routing.Get(tenant, model) is { Routes.Count: > 0 } ? model : UnknownModel;
}
