using System.Text;
using Microsoft.AspNetCore.TestHost;
using Orbit.Testing;

namespace Orbit.Hosting.Tests.Messaging;

public sealed class PlainJsonBusTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_plain_JSON_message_published_without_MassTransit_is_consumed_with_its_correlation_id()
    {
        await using var app = await HostingTestApp.StartAsync(configureBus: bus => bus.AddConsumer<PlainJsonProbeConsumer>());
        using var client = app.GetTestClient();
        await Eventually.HttpOkAsync(client, "/health/ready", Patience);
        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var probeId = Guid.NewGuid().ToString("N");

        // No envelope and no type header: just JSON to the message type's exchange, as a Python or Go service would send it.
        await rabbit.PublishJsonAsync(
            exchange: "Orbit.Hosting.Tests.Messaging:PlainJsonProbe",
            routingKey: "",
            json: $$"""{"probeId":"{{probeId}}","count":3,"sentAt":"2026-11-23T10:00:00Z"}""",
            headers: new Dictionary<string, object?> { ["X-Correlation-Id"] = "upstream-" + probeId });

        var (message, correlation) = await PlainJsonProbeConsumer.WaitFor(probeId).WaitAsync(Patience);
        Assert.Equal(3, message.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), message.SentAt);
        Assert.Equal("upstream-" + probeId, correlation);
    }

    [Fact]
    public async Task A_message_that_always_fails_ends_in_the_error_queue_with_its_exception()
    {
        await using var app = await HostingTestApp.StartAsync(
            new Dictionary<string, string?> { ["Orbit:RabbitMq:RetryLimit"] = "1", ["Orbit:RabbitMq:RetryIntervalMilliseconds"] = "10" },
            bus => bus.AddConsumer<AlwaysFailingConsumer>());
        using var client = app.GetTestClient();
        await Eventually.HttpOkAsync(client, "/health/ready", Patience);
        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var probeId = Guid.NewGuid().ToString("N");

        await rabbit.PublishJsonAsync(exchange: "", routingKey: "always-failing", json: $$"""{"probeId":"{{probeId}}"}""");

        var faulted = await Eventually.GetAsync(async () =>
        {
            var got = await rabbit.GetAsync("always-failing_error");
            return got is not null && Encoding.UTF8.GetString(got.Body.Span).Contains(probeId, StringComparison.Ordinal) ? got : null;
        }, Patience, "the message in always-failing_error");

        var headers = faulted.BasicProperties.Headers!;
        Assert.Equal("System.InvalidOperationException", Text(headers["MT-Fault-ExceptionType"]));
        Assert.Contains($"cannot handle probe {probeId}", Text(headers["MT-Fault-Message"]));
    }

    private static string Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? "";
}
