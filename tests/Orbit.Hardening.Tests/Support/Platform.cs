extern alias gateway;
extern alias registry;
extern alias worker;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Orbit.Contracts.Registry;
using Orbit.Testing;

namespace Orbit.Hardening.Tests.Support;

/// <summary>
/// The registry (on a loopback port: the worker downloads from it), a gateway in front of it and one
/// worker, in this process, on the real RabbitMQ and Redis. Tenant <see cref="Owner"/> has the model
/// <see cref="Model"/> (<c>node/test_add</c>) deployed and served; tenant <see cref="Other"/> has a key
/// and nothing else.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public const string AdminKey = "orbit-hardening-test-admin-key-000000001";
    public const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    public const string ReluModel = "/usr/share/libonnx-testdata/data/node/test_relu/model.onnx";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-hardening-").FullName;
    private OrbitServiceFactory<registry::Program> _registry = null!;
    private OrbitServiceFactory<gateway::Program> _gateway = null!;
    private OrbitServiceFactory<worker::Program> _worker = null!;

    public Uri RegistryUrl { get; private set; } = null!;

    /// <summary>The gateway on a real loopback port: fuzzed requests go through Kestrel's own HTTP parsing, as a client's would.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    public Tenant Owner { get; private set; } = null!;

    public Tenant Other { get; private set; } = null!;

    public string Model { get; } = "fz-" + Guid.NewGuid().ToString("N")[..10];

    public VersionView Version { get; private set; } = null!;

    public string InferBody { get; } = """
        {"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[DATA]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[DATA]}]}
        """.Replace("DATA", string.Join(",", Enumerable.Range(0, 60)), StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        RegistryUrl = new Uri($"http://127.0.0.1:{port}/");
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "registry"),
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        _registry.UseKestrel(port);
        _registry.StartServer();
        _gateway = new OrbitServiceFactory<gateway::Program>(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = RegistryUrl.ToString(),
            ["Orbit:Gateway:RateLimitPerSecond"] = "100000",
            ["Orbit:Gateway:RateLimitBurst"] = "100000",
            ["Orbit:Gateway:MaxRequestBytes"] = "1048576",
        });
        var gatewayPort = FreePort.Next();
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}/");
        _gateway.UseKestrel(gatewayPort);
        _gateway.StartServer();
        using (var anonymous = Gateway(null))
        {
            await Eventually.HttpOkAsync(anonymous, "/health/ready", TimeSpan.FromSeconds(60));
        }

        Owner = await TenantAsync("fzo");
        Other = await TenantAsync("fzx");
        using var owner = Gateway(Owner.Key);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } })
        {
            using var pushed = await owner.PostAsync($"/v1/models/{Model}/versions", form);
            Assert.True(pushed.StatusCode == HttpStatusCode.Created, await pushed.Content.ReadAsStringAsync());
            Version = (await pushed.Content.ReadFromJsonAsync<VersionView>())!;
        }

        (await owner.PutAsJsonAsync($"/v1/models/{Model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        _worker = new OrbitServiceFactory<worker::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "worker"),
            ["Orbit:Worker:RegistryUrl"] = RegistryUrl.ToString(),
            ["Orbit:Worker:RegistryKey"] = AdminKey,
            ["Orbit:Worker:HeartbeatSeconds"] = "1",
            ["Orbit:Worker:Models:0"] = $"{Owner.Id}/{Model}",
        });
        _ = _worker.Server;
        await Eventually.GetAsync(async () =>
        {
            using var answer = await owner.PostAsync($"/v2/models/{Model}/infer", new StringContent(InferBody, System.Text.Encoding.UTF8, "application/json"));
            return answer.StatusCode == HttpStatusCode.OK ? "served" : null;
        }, TimeSpan.FromSeconds(120), "the worker to serve the model");
    }

    /// <summary>A client of the gateway; with a key, it sends it as a bearer token.</summary>
    public HttpClient Gateway(string? key)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A client of the registry itself, not through the gateway.</summary>
    public HttpClient Registry(string? key)
    {
        var client = new HttpClient { BaseAddress = RegistryUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public IServiceProvider GatewayServices => _gateway.Services;

    public IServiceProvider RegistryServices => _registry.Services;

    public IServiceProvider WorkerServices => _worker.Services;

    public HttpClient Worker() => _worker.CreateClient();

    private async Task<Tenant> TenantAsync(string prefix)
    {
        using var admin = Registry(AdminKey);
        var id = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new CreateTenant(id))).EnsureSuccessStatusCode();
        var created = await (await admin.PostAsJsonAsync("/v1/keys", new CreateApiKey("admin", id))).Content.ReadFromJsonAsync<ApiKeyCreated>();
        return new Tenant(id, created!.Key, created.KeyId);
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _gateway.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

public sealed record Tenant(string Id, string Key, string KeyId);
