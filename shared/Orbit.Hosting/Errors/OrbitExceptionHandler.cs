using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orbit.Hosting.Logging;
using Orbit.Hosting.Security;
using StackExchange.Redis;

namespace Orbit.Hosting.Errors;

/// <summary>
/// The last line: turns what escaped an endpoint into a problem detail (or OIP's <c>{"error"}</c>
/// on endpoints marked <see cref="OipErrorShape"/>). Bad input that the framework rejected
/// (oversized or unreadable body) keeps its 4xx; an unreachable Redis or store is a 503 with
/// <c>Retry-After</c>; anything else is a 500 whose detail says nothing about internals, logged with
/// its correlation id.
/// </summary>
internal sealed partial class OrbitExceptionHandler(IProblemDetailsService problems, ILogger<OrbitExceptionHandler> logger) : IExceptionHandler
{
    private const string UnavailableDetail = "A store the service depends on is not reachable right now; retry shortly.";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var field = (exception.InnerException as JsonException ?? exception as JsonException)?.Path is { Length: > 1 } path ? path[2..] : null;
        var (status, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException } bad when field is not null => (bad.StatusCode, $"The body is not valid: '{field}' is missing, malformed or of the wrong type."),
            BadHttpRequestException { InnerException: JsonException json } bad => (bad.StatusCode, "The body is not valid JSON: " + FirstSentence(json.Message)),
            BadHttpRequestException bad => (bad.StatusCode, bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, "The body is not valid: " + FirstSentence(json.Message)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
            DependencyUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, unavailable.Message),
            RedisException or RedisTimeoutException => (StatusCodes.Status503ServiceUnavailable, UnavailableDetail),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred; the correlation id identifies it in the service's log."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(logger, exception, context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "1";
        }
        else if (status >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        if (OipErrorShape.Applies(context))
        {
            var id = Correlation.Current;
            await OipErrorShape.Write(context, status, status >= 500 && id is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{detail} (correlation id {id})")
                : detail);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Type = ProblemTypes.ForStatus(status),
                Title = status switch
                {
                    StatusCodes.Status503ServiceUnavailable => "Service Unavailable",
                    >= 500 => "Internal error",
                    _ => "The request is not valid",
                },
                Detail = detail,
                Extensions = field is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["field"] = field },
            },
        });
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    [LoggerMessage(EventId = HostingLogEvents.Unhandled, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = HostingLogEvents.DependencyUnavailable, Level = LogLevel.Warning, Message = "Answered 503 on {Method} {Path}: a store is unreachable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}
