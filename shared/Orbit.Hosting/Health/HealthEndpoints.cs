using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbit.Hosting.Health;

internal static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> runs every check
    /// tagged <see cref="HealthTags.Ready"/> and answers 503 naming each failing dependency.
    /// Both are anonymous and mapped in every environment, because orchestrators probe them; so they
    /// name a failing check but never carry its exception text (addresses, hosts): that is in the log.
    /// </summary>
    public static IEndpointRouteBuilder MapOrbitHealth(this IEndpointRouteBuilder endpoints, string serviceName)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, report) => WriteAsync(context, report, serviceName),
        }).AllowAnonymous();

        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthTags.Ready),
            ResponseWriter = (context, report) => WriteAsync(context, report, serviceName),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();

        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report, string serviceName)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            service = serviceName,
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 3),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
