using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Hosting.Tests.Errors;

public sealed class UnavailableStoreTests
{
    private static Task<WebApplication> StartAsync() => HostingTestApp.StartAsync(map: app =>
    {
#pragma warning disable CS0618 // The overloads with CommandFlags are the library's own business; these build the same exceptions.
        app.MapGet("/redis-down", string () => throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "It was not possible to connect to 10.0.0.7:6379 password=hunter2"));
        app.MapGet("/redis-slow", string () => throw new RedisTimeoutException("Timeout awaiting response, inst: 10.0.0.7", CommandStatus.Sent));
#pragma warning restore CS0618
        app.MapGet("/v2/oip-down", string () => throw new DependencyUnavailableException("The request rate cannot be checked right now; retry shortly.")).WithMetadata(OipErrorShape.Instance);
        app.MapGet("/v2/oip-boom", string () => throw new InvalidOperationException("/var/lib/orbit/secret.onnx failed")).WithMetadata(OipErrorShape.Instance);
    });

    [Theory]
    [InlineData("/redis-down")]
    [InlineData("/redis-slow")]
    public async Task An_unreachable_Redis_is_a_503_problem_with_retry_after_that_names_no_address(string path)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("urn:orbit:problem:unavailable", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("10.0.0.7", body);
        Assert.DoesNotContain("hunter2", body);
    }

    [Fact]
    public async Task Under_OIP_an_unavailable_store_is_a_503_error_object()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/v2/oip-down");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("The request rate cannot be checked", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("type", out _));
    }

    [Fact]
    public async Task Under_OIP_an_unexpected_error_is_a_500_error_object_with_the_correlation_id_and_no_internals()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/oip-boom") { Headers = { { "X-Correlation-Id", "trace-oip-1" } } };

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("trace-oip-1", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("/var/lib", body);
    }

    [Fact]
    public async Task Readiness_names_a_failing_check_without_its_exception_text()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = TestInfrastructure.ClosedRabbitMqUrl,
            ["Orbit:Redis:Configuration"] = $"127.0.0.1:{FreePort.Next()}",
            ["Orbit:Redis:ConnectTimeoutMilliseconds"] = "200",
        });
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"redis\"", body);
        Assert.DoesNotContain("127.0.0.1", body);
        Assert.DoesNotContain("\"error\"", body);
    }
}
