extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Testing;

namespace Orbit.Console.Tests.Support;

/// <summary>
/// A real registry and a real gateway, both on Kestrel at loopback ports (the browser needs a real address), on the
/// real RabbitMQ and Redis, and one headless Debian chromium driven by Playwright. No drift monitor, no batch API.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    public const string AdminKey = "orbit-console-test-admin-key-00001";
    public static readonly string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-console-").FullName;
    private OrbitServiceFactory<registry::Program> _registry = null!;
    private OrbitServiceFactory<Program> _gateway = null!;
    private IPlaywright? _playwright;

    public Uri GatewayUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var registryPort = FreePort.Next();
        var registryUrl = new Uri($"http://127.0.0.1:{registryPort}/");
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = _data,
            ["Orbit:Registry:AdminKey"] = AdminKey,
            ["Orbit:Registry:Rollouts:TickSeconds"] = "0.2",
        });
        _registry.UseKestrel(registryPort);
        _registry.StartServer();

        var gatewayPort = FreePort.Next();
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}/");
        // Where the gateway forwards /v1/drift and /v1/retrains (where it does): ports nobody listens on, so those pages meet a failing API.
        _gateway = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = registryUrl.ToString(),
            ["Orbit:Gateway:DriftMonitorUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
            ["Orbit:Gateway:RetrainerUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
        });
        _gateway.UseKestrel(gatewayPort);
        _gateway.StartServer();
        using var probe = Client(null);
        await Eventually.HttpOkAsync(probe, "/health/ready", TimeSpan.FromSeconds(30));

        if (Chromium.Available)
        {
            _playwright = await Playwright.CreateAsync();
            // Root in a container has no user namespaces for chromium's sandbox.
            Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.Path, Headless = true, Args = ["--no-sandbox"] });
        }
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A new tenant with one key per role asked for, made through the gateway.</summary>
    public async Task<Tenant> TenantAsync(params string[] roles)
    {
        using var admin = Client();
        var id = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new CreateTenant(id))).EnsureSuccessStatusCode();
        var keys = new Dictionary<string, string>();
        foreach (var role in roles)
        {
            var created = await (await admin.PostAsJsonAsync("/v1/keys", new CreateApiKey(role, id))).Content.ReadFromJsonAsync<ApiKeyCreated>();
            keys[role] = created!.Key;
        }

        return new Tenant(id, keys);
    }

    /// <summary>Versions 1 and 2 of an add model (2 retrained from 1, per its lineage), with 1 deployed as stable.</summary>
    public static async Task<string> DeployedModelWithTwoVersionsAsync(HttpClient deployer)
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        await PushAsync(deployer, model, """{"metrics":{"accuracy":0.91},"description":"first"}""");
        await PushAsync(deployer, model, """{"metrics":{"accuracy":0.93},"lineage":{"parentVersion":1,"trainer":"console-test"}}""");
        (await deployer.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        return model;
    }

    public static async Task PushAsync(HttpClient client, string model, string metadata)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" },
            { new StringContent(metadata), "metadata" },
        };
        using var response = await client.PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<DeploymentView> DeploymentAsync(HttpClient client, string model) =>
        (await client.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment"))!;

    public static async Task<RolloutView> RolloutAsync(HttpClient client, string model) =>
        (await client.GetFromJsonAsync<RolloutView>($"/v1/models/{model}/rollout?decisions=50", new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        await _gateway.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

public sealed record Tenant(string Id, IReadOnlyDictionary<string, string> Keys);

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "console";
}
