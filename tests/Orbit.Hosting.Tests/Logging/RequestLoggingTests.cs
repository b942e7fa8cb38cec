using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Testing;
using Serilog.Core;
using Serilog.Events;

namespace Orbit.Hosting.Tests.Logging;

public sealed class RequestLoggingTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task Each_request_is_logged_once_in_its_callers_trace_with_its_correlation_id()
    {
        var sink = new CollectingSink();
        await using var app = await HostingTestApp.StartAsync(
            new Dictionary<string, string?> { ["Orbit:Logging:Level"] = "Information" },
            map: a => a.MapGet("/hello", () => "hi"),
            services: s => s.AddSingleton<ILogEventSink>(sink));
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello")
        {
            Headers = { { "X-Correlation-Id", "order-7" }, { "traceparent", $"00-{TraceId}-00f067aa0ba902b7-01" } },
        };

        using var response = await client.SendAsync(request);

        var line = await Eventually.GetAsync(
            () => Task.FromResult(sink.Events.SingleOrDefault(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/hello\"")),
            TimeSpan.FromSeconds(5), "the request's log event");
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal(TraceId, line.TraceId?.ToHexString());
        Assert.NotEqual("00f067aa0ba902b7", line.SpanId?.ToHexString());
        Assert.Equal("\"order-7\"", line.Properties["CorrelationId"].ToString());
        Assert.Equal(StatusCodes.Status200OK.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Properties["StatusCode"].ToString());
    }

    [Fact]
    public async Task Health_probes_are_logged_below_Information()
    {
        var sink = new CollectingSink();
        await using var app = await HostingTestApp.StartAsync(
            new Dictionary<string, string?> { ["Orbit:Logging:Level"] = "Information" },
            map: a => a.MapGet("/hello", () => "hi"),
            services: s => s.AddSingleton<ILogEventSink>(sink));
        using var client = app.GetTestClient();

        await client.GetStringAsync("/health/live");
        await client.GetStringAsync("/hello");

        await Eventually.GetAsync(
            () => Task.FromResult(sink.Events.FirstOrDefault(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/hello\"")),
            TimeSpan.FromSeconds(5), "the request's log event");
        Assert.DoesNotContain(sink.Events, e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/health/live\"");
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
