using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Orbit.Hosting.Tests.Errors;

public sealed class ProblemDetailsTests
{
    private sealed record Greeting(string Name);

    private static Task<WebApplication> StartAsync() => HostingTestApp.StartAsync(map: app =>
    {
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret connection string Password=hunter2"));
        app.MapPost("/greet", (Greeting greeting) => Results.Ok(greeting.Name));
    });

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_leaks_nothing_and_carries_the_correlation_id()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom") { Headers = { { "X-Correlation-Id", "trace-me-1" } } };

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("hunter2", body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:orbit:problem:internal", problem.GetProperty("type").GetString());
        Assert.Equal("trace-me-1", problem.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_400_problem()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync("/greet", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
