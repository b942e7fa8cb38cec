using Microsoft.AspNetCore.TestHost;
using Orbit.Hosting.Logging;

namespace Orbit.Hosting.Tests.Logging;

public sealed class CorrelationTests
{
    [Fact]
    public async Task A_callers_correlation_id_is_echoed_on_the_response()
    {
        await using var app = await HostingTestApp.StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Correlation-Id", "order-42" } } };

        using var response = await client.SendAsync(request);

        Assert.Equal("order-42", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has spaces and\nnewlines")]
    public void A_missing_or_unsafe_correlation_id_is_replaced_by_a_fresh_one(string? supplied)
    {
        var id = Correlation.Accept(supplied);

        Assert.NotEqual(supplied, id);
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public void A_correlation_id_longer_than_128_characters_is_replaced() =>
        Assert.NotEqual(new string('a', 129), Correlation.Accept(new string('a', 129)));
}
