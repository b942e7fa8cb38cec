using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orbit.Hosting.Metrics;

internal static class MetricsEndpoint
{
    /// <summary>OpenTelemetry's Prometheus scrape, behind Orbit's guard: metric labels name tenants' models.</summary>
    public static IEndpointRouteBuilder MapOrbitMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: pipeline => pipeline.Use(Guard), optionsName: null)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }

    private static Task Guard(HttpContext context, RequestDelegate next)
    {
        var token = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.ScrapeToken;
        return MayScrape(context, token)
            ? next(context)
            : Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Metrics need a scrape token",
                detail: "Only loopback callers may read /metrics unless Orbit:Metrics:ScrapeToken is set and sent as a bearer token.",
                type: Errors.ProblemTypes.Unauthorized).ExecuteAsync(context);
    }

    private static bool MayScrape(HttpContext context, string? token)
    {
        // No address (a Unix socket, an in-process server) says nothing about where the caller is: it needs the token like any remote one.
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        return !string.IsNullOrEmpty(token)
            && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));
    }
}
