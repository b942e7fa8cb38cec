extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Routing;

public sealed class MissedDeploymentTests
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    private const string AdminKey = "orbit-gateway-test-admin-key-0002";

    [Fact]
    public async Task A_deployment_changed_while_the_gateway_was_cut_from_the_broker_is_routed_soon_after_it_reconnects()
    {
        var data = Directory.CreateTempSubdirectory("orbit-gateway-").FullName;
        var broker = new Uri(TestInfrastructure.RabbitMqUrl);
        await using var proxy = new TcpProxy(broker.Host, broker.Port);
        var port = FreePort.Next();
        await using var registryHost = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = data,
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        registryHost.UseKestrel(port);
        registryHost.StartServer();
        // The periodic re-read is an hour away: only the re-read on reconnecting can recover the missed event.
        await using var gateway = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = $"http://127.0.0.1:{port}/",
            ["Orbit:RabbitMq:Url"] = new UriBuilder(broker) { Port = proxy.Port }.Uri.ToString(),
            ["Orbit:Routing:RefreshSeconds"] = "3600",
        });
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        await Eventually.HttpOkAsync(client, "/health/ready", TimeSpan.FromSeconds(30));

        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        await PushAsync(client, model);
        await PushAsync(client, model);
        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        await WaitRoutedAsync(client, model, version: 1);

        proxy.Cut();
        await Eventually.GetAsync(async () =>
            (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable ? "down" : null,
            TimeSpan.FromSeconds(30), "the gateway to notice it lost the broker");
        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(2))).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v2/models/{model}/versions/2/ready")).StatusCode);

        proxy.Restore();
        await WaitRoutedAsync(client, model, version: 2);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v2/models/{model}/versions/1/ready")).StatusCode);
        Directory.Delete(data, recursive: true);
    }

    private static async Task PushAsync(HttpClient client, string model)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } };
        using var response = await client.PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static Task WaitRoutedAsync(HttpClient client, string model, int version) =>
        Eventually.GetAsync(async () => (await client.GetAsync($"/v2/models/{model}/versions/{version}/ready")).IsSuccessStatusCode ? "routed" : null,
            TimeSpan.FromSeconds(20), $"the gateway to route version {version}");
}
