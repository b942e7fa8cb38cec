using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Orbit.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Orbit.Gateway.Tests.RateLimiting;

/// <summary>A gateway whose Redis is cut off by a proxy (the shared Redis keeps running).</summary>
public sealed class RedisOutageTests(GatewayStack stack, ITestOutputHelper output) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task Without_Redis_inference_is_a_503_in_OIP_form_once_the_held_tokens_are_spent_and_admitted_again_when_it_returns()
    {
        await using var redis = new RedisCut();
        // 200/s takes blocks of 10 tokens: after one request this gateway holds 9.
        await using var gateway = stack.AnotherGateway(new Dictionary<string, string?>
        {
            ["Orbit:Redis:Configuration"] = redis.Configuration,
            ["Orbit:Gateway:RateLimitPerSecond"] = "200",
            ["Orbit:Gateway:RateLimitBurst"] = "200",
        });
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await stack.TenantKeyAsync("predictor"));
        // Admitted, then not found: the model does not exist; what matters is that the limiter let it through.
        Assert.Equal(HttpStatusCode.NotFound, (await InferAsync(client)).StatusCode);

        redis.Cut();
        var admitted = 0;
        HttpResponseMessage refused;
        var started = Stopwatch.GetTimestamp();
        while ((refused = await InferAsync(client)).StatusCode == HttpStatusCode.NotFound && admitted < 50)
        {
            admitted++;
            started = Stopwatch.GetTimestamp();
        }

        var took = Stopwatch.GetElapsedTime(started);
        var body = await refused.Content.ReadAsStringAsync();
        output.WriteLine($"after the cut: {admitted} admitted from held tokens, then {(int)refused.StatusCode} in {took.TotalMilliseconds:0} ms: {body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(9, admitted);
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.String, error.GetProperty("error").ValueKind);
        Assert.False(error.TryGetProperty("type", out _));
        Assert.NotNull(refused.Headers.RetryAfter);

        redis.Restore();

        await Orbit.Testing.Eventually.GetAsync(async () => (await InferAsync(client)).StatusCode == HttpStatusCode.NotFound ? "admitted" : null,
            TimeSpan.FromSeconds(30), "the gateway to admit requests again once Redis answers");
    }

    private static Task<HttpResponseMessage> InferAsync(HttpClient client) =>
        client.PostAsync("/v2/models/m-none/infer", new StringContent("""{"inputs":[]}""", System.Text.Encoding.UTF8, "application/json"));
}
