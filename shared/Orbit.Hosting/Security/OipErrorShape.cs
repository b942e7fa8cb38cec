using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Orbit.Hosting.Security;

/// <summary>
/// Endpoint metadata: refusals on this endpoint take the Open Inference Protocol's shape,
/// <c>{"error": "…"}</c>, rather than a problem details body (the gateway's <c>/v2</c> routes).
/// </summary>
public sealed class OipErrorShape
{
    public static readonly OipErrorShape Instance = new();

    private OipErrorShape()
    {
    }

    /// <summary>Whether the request's endpoint answers errors in OIP's shape (the exception handler clears the endpoint, but its feature keeps it).</summary>
    public static bool Applies(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint)?.Metadata.GetMetadata<OipErrorShape>() is not null;

    public static Task Write(HttpContext context, int status, string message) =>
        Results.Json(new OipErrorBody(message), statusCode: status).ExecuteAsync(context);

    private sealed record OipErrorBody(string error);
}
