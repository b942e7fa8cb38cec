using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orbit.Hosting.Errors;

/// <summary>
/// The last line: turns what escaped an endpoint into a problem detail. Bad input that the
/// framework rejected (oversized or unreadable body) keeps its 4xx; anything else is a 500
/// whose detail says nothing about internals, logged with its correlation id.
/// </summary>
internal sealed partial class OrbitExceptionHandler(IProblemDetailsService problems, ILogger<OrbitExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, "The body is not valid JSON: " + json.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred; the correlation id identifies it in the service's log."),
        };
        if (status >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Type = ProblemTypes.ForStatus(status),
                Title = status >= 500 ? "Internal error" : "The request is not valid",
                Detail = detail,
            },
        });
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
