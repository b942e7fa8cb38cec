using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Forwarding;

/// <summary>
/// The drift API is the drift monitor's and the retrain API the retrainer's; the gateway forwards them with the
/// caller's key after checking the key itself. A small HTTP server stands in for the service and echoes what reached it.
/// </summary>
public sealed class ServiceForwardingTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Theory]
    [InlineData("drift", "Orbit:Gateway:DriftMonitorUrl")]
    [InlineData("retrains", "Orbit:Gateway:RetrainerUrl")]
    public async Task Calls_reach_the_service_with_the_callers_key_and_unknown_keys_do_not(string api, string setting)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var monitor = builder.Build();
        monitor.MapGet($"/v1/{api}/{{**rest}}", (string rest, HttpRequest request) =>
            Results.Ok(new { path = $"/v1/{api}/" + rest, query = request.QueryString.Value, authorization = request.Headers.Authorization.ToString() }));
        await monitor.StartAsync();
        await using var gateway = stack.AnotherGateway(new Dictionary<string, string?> { [setting] = $"http://127.0.0.1:{port}" });
        var key = await stack.TenantKeyAsync("viewer");
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var stranger = gateway.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "orb_not-a-real-key-at-all");

        var echoed = await client.GetStringAsync($"/v1/{api}/churn/versions/2?window=5m");
        using var refused = await stranger.GetAsync($"/v1/{api}/churn");

        Assert.Contains($"\"path\":\"/v1/{api}/churn/versions/2\"", echoed);
        Assert.Contains("\"query\":\"?window=5m\"", echoed);
        Assert.Contains($"Bearer {key}", echoed);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
