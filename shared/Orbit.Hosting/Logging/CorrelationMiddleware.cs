using Microsoft.AspNetCore.Http;

namespace Orbit.Hosting.Logging;

/// <summary>Takes the caller's <c>X-Correlation-Id</c> (or makes one) and echoes it on the response.</summary>
internal sealed class CorrelationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var id = Correlation.Accept(context.Request.Headers[Correlation.HeaderName]);
        Correlation.Current = id;
        context.Response.Headers[Correlation.HeaderName] = id;
        return next(context);
    }
}
