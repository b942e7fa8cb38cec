using System.Net;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Inference;

public sealed class RegistryOutageTests
{
    [Fact]
    public async Task Without_the_registry_a_key_cannot_be_checked_and_the_answer_is_503_not_401()
    {
        await using var gateway = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
        });
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "orb_some-key-of-someone");

        using var response = await client.PostAsync("/v2/models/any/infer", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("registry is not reachable", await response.Content.ReadAsStringAsync());
    }
}
