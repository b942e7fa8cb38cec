using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Gateway.Serving;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Serving;

public sealed class ServingWindowsTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task Each_version_s_answers_are_published_as_one_window_with_errors_and_a_latency_sample()
    {
        await using var probe = await RabbitMqProbe.ConnectAsync();
        var queue = await probe.ListenAsync("Orbit.Contracts.Rollouts:ServingWindowObserved");
        var windows = stack.GatewayServices.GetRequiredService<ServingWindows>();
        var model = "sw-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 60; i++)
        {
            windows.Record("acme", model, 2, 200, TimeSpan.FromMilliseconds(4 + (i % 3)));
        }

        windows.Record("acme", model, 2, 503, TimeSpan.FromSeconds(1));
        windows.Record("acme", model, 2, 400, TimeSpan.FromMilliseconds(1));
        windows.Record("acme", model, 1, 200, TimeSpan.FromMilliseconds(9));

        await windows.PublishAsync(CancellationToken.None);

        var published = new List<JsonElement>();
        await Eventually.GetAsync(async () =>
        {
            while (await probe.GetAsync(queue) is { } delivery)
            {
                var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement;
                if (message.GetProperty("modelName").GetString() == model)
                {
                    published.Add(message.Clone());
                }
            }

            return published.Count == 2 ? "both" : null;
        }, TimeSpan.FromSeconds(30), "a window for each version");
        var v2 = published.Single(m => m.GetProperty("modelVersion").GetInt32() == 2);
        Assert.Equal((62, 1), (v2.GetProperty("requests").GetInt64(), v2.GetProperty("errors").GetInt64()));
        var sample = v2.GetProperty("latencySampleMs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(60, sample.Length);
        Assert.All(sample, ms => Assert.InRange(ms, 4, 6));
        Assert.Equal("acme", v2.GetProperty("tenantId").GetString());
    }
}
