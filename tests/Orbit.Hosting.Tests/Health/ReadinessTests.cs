using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Orbit.Testing;

namespace Orbit.Hosting.Tests.Health;

public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_answers_200_when_RabbitMQ_and_Redis_answer()
    {
        await using var app = await HostingTestApp.StartAsync();
        using var client = app.GetTestClient();

        await Eventually.HttpOkAsync(client, "/health/ready", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Readiness_turns_503_and_names_RabbitMQ_when_the_broker_port_is_closed()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = TestInfrastructure.ClosedRabbitMqUrl,
        });
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/health/ready");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("Unhealthy", checks["rabbitmq"].GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["redis"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_answers_200_even_when_a_dependency_is_down()
    {
        await using var app = await HostingTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = TestInfrastructure.ClosedRabbitMqUrl,
        });
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
