extern alias registry;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Registry;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Support;

/// <summary>
/// A real registry (on a loopback port, as the gateway forwards over HTTP) and a real gateway in
/// front of it, on the real RabbitMQ and Redis. No inference worker: tests that need one are end-to-end.
/// </summary>
public sealed class GatewayStack : IAsyncLifetime
{
    public const string AdminKey = "orbit-gateway-test-admin-key-0001";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-gateway-").FullName;
    private readonly IDictionary<string, string?> _gatewaySettings;

    public GatewayStack()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With gateway settings over the defaults (xunit wants one public constructor of a fixture).</summary>
    internal GatewayStack(IDictionary<string, string?> gatewaySettings) => _gatewaySettings = gatewaySettings;
    private OrbitServiceFactory<registry::Program> _registry = null!;
    private OrbitServiceFactory<Program> _gateway = null!;

    public Uri RegistryUrl { get; private set; } = null!;

    public IServiceProvider GatewayServices => _gateway.Services;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        RegistryUrl = new Uri($"http://127.0.0.1:{port}/");
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = _data,
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        _registry.UseKestrel(port);
        _registry.StartServer();
        var settings = new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = RegistryUrl.ToString(),
            ["Orbit:Gateway:RateLimitPerSecond"] = "20",
            ["Orbit:Gateway:RateLimitBurst"] = "20",
            ["Orbit:Gateway:MaxRequestBytes"] = "65536",
        };
        foreach (var (key, value) in _gatewaySettings)
        {
            settings[key] = value;
        }

        _gateway = new OrbitServiceFactory<Program>(settings);
        using var gateway = Client(null);
        // Generous: many gateway hosts start at once when the test classes run in parallel on two cores.
        await Eventually.HttpOkAsync(gateway, "/health/ready", TimeSpan.FromSeconds(90));
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = _gateway.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A gRPC channel to the gateway's in-process server (the test server speaks HTTP/2 to it).</summary>
    public GrpcChannel OpenGrpcChannel() =>
        GrpcChannel.ForAddress(_gateway.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _gateway.Server.CreateHandler() });

    /// <summary>A tenant of its own and a key of the given role in it, made through the gateway's forwarding.</summary>
    public async Task<string> TenantKeyAsync(string role = "admin")
    {
        using var admin = Client();
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new CreateTenant(tenant))).EnsureSuccessStatusCode();
        var created = await (await admin.PostAsJsonAsync("/v1/keys", new CreateApiKey(role, tenant))).Content.ReadFromJsonAsync<ApiKeyCreated>();
        return created!.Key;
    }

    /// <summary>
    /// Another gateway in front of the same registry, with its own settings and service overrides
    /// (e.g. Redis through a proxy, a handler that counts registry calls). The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> AnotherGateway(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var merged = new Dictionary<string, string?>(settings) { ["Orbit:Gateway:RegistryUrl"] = RegistryUrl.ToString() };
        var factory = new OrbitServiceFactory<Program>(merged);
        return services is null ? factory : factory.WithWebHostBuilder(b => b.ConfigureTestServices(services));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
