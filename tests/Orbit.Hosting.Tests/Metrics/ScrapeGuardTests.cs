using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Orbit.Hosting.Tests.Metrics;

public sealed class ScrapeGuardTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task A_remote_caller_without_a_scrape_token_gets_401_problem()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, Remote, authorization: null);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task A_remote_caller_gets_nothing_when_no_scrape_token_is_configured()
    {
        await using var app = await HostingTestApp.StartAsync();

        var context = await ScrapeAsync(app, Remote, authorization: "Bearer ");

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_remote_caller_with_the_scrape_token_reads_the_metrics()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, Remote, authorization: "Bearer s3cret");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_loopback_caller_reads_the_metrics_without_a_token()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, IPAddress.IPv6Loopback, authorization: null);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_caller_without_an_address_is_refused_without_the_token()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, caller: null, authorization: null);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task A_caller_without_an_address_with_the_scrape_token_reads_the_metrics()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, caller: null, authorization: "Bearer s3cret");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_remote_caller_with_a_wrong_scrape_token_gets_401()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?> { ["Orbit:Metrics:ScrapeToken"] = "s3cret" });

        var context = await ScrapeAsync(app, Remote, authorization: "Bearer s3cre");

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    private static Task<HttpContext> ScrapeAsync(WebApplication app, IPAddress? caller, string? authorization) =>
        app.GetTestServer().SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/metrics";
            context.Connection.RemoteIpAddress = caller;
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }
        });
}
