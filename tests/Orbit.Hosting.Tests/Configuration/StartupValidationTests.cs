using Microsoft.Extensions.Options;

namespace Orbit.Hosting.Tests.Configuration;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task A_broker_url_that_is_not_amqp_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Orbit:RabbitMq:Url"] = "http://127.0.0.1:5672" }));

        Assert.Contains("Orbit:RabbitMq:Url", error.Message);
        Assert.Contains("Orbit__RabbitMq__Url", error.Message);
    }

    [Fact]
    public async Task An_out_of_range_number_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Orbit:RabbitMq:PrefetchCount"] = "0" }));

        Assert.Contains("Orbit:RabbitMq:PrefetchCount", error.Message);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            StartAsync(new() { ["Orbit:Redis:ConnectTimeoutMilliseconds"] = "soon" }));

        Assert.Contains("Orbit:Redis:ConnectTimeoutMilliseconds", error.Message);
    }

    /// <summary>Building and starting, as a service's Program does: a bad setting may surface in either.</summary>
    private static async Task StartAsync(Dictionary<string, string?> settings)
    {
        await using var app = HostingTestApp.Build(settings);
        await app.StartAsync();
    }

    [Fact]
    public void An_unknown_log_format_stops_start_up_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            HostingTestApp.Build(new Dictionary<string, string?> { ["Orbit:Logging:Format"] = "xml" }));

        Assert.Contains("Orbit:Logging:Format", error.Message);
    }
}
