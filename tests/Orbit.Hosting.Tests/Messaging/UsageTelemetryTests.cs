using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orbit.Hosting.Tests.Messaging;

public sealed class UsageTelemetryTests
{
    [Fact]
    public async Task The_bus_reports_no_usage_telemetry()
    {
        // Its post-start walk of the endpoint configurations raced a worker connecting per-model endpoints and faulted
        // the bus start ("Collection was modified"), leaving the worker never ready.
        await using var app = HostingTestApp.Build();

        Assert.False(app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
