using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Orbit.Gateway.Tests.Auth;

public sealed class KeyRevocationTests(GatewayStack stack, ITestOutputHelper output) : IClassFixture<GatewayStack>
{
    private static readonly TimeSpan Requirement = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_revoked_key_that_the_gateway_had_cached_is_refused_within_a_second()
    {
        using var client = stack.Client(await stack.TenantKeyAsync("viewer"));
        var keyId = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.KeyId;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2")).StatusCode);
        using var admin = stack.Client();

        (await admin.DeleteAsync($"/v1/keys/{keyId}")).EnsureSuccessStatusCode();
        var revoked = Stopwatch.GetTimestamp();
        var status = HttpStatusCode.OK;
        // Bounded wait, well past the requirement, so a slow refusal is measured rather than cut off.
        while (status != HttpStatusCode.Unauthorized && Stopwatch.GetElapsedTime(revoked) < TimeSpan.FromSeconds(10))
        {
            status = (await client.GetAsync("/v2")).StatusCode;
            if (status != HttpStatusCode.Unauthorized)
            {
                await Task.Delay(10);
            }
        }

        var took = Stopwatch.GetElapsedTime(revoked);
        output.WriteLine($"revocation took effect at the gateway after {took.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(took <= Requirement, $"the revoked key still worked {took.TotalMilliseconds:0} ms after the revocation");
    }
}
