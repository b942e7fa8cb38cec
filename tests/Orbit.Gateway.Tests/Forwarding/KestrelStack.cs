extern alias registry;
using Microsoft.AspNetCore.Hosting;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Forwarding;

/// <summary>
/// A registry and a gateway both on real Kestrel (loopback ports), as deployed: Kestrel's request
/// body limits and connection handling apply, which the in-memory test server does not have.
/// </summary>
public sealed class KestrelStack : IAsyncLifetime
{
    public const string AdminKey = "orbit-forwarding-test-admin-key-01";

    /// <summary>The registry's model limit here: above Kestrel's 30 MB default, low enough to test an over-limit body cheaply.</summary>
    public const long MaxArtifactBytes = 48L * 1024 * 1024;

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-forwarding-").FullName;
    private OrbitServiceFactory<registry::Program> _registry = null!;
    private OrbitServiceFactory<Program> _gateway = null!;

    public Uri RegistryUrl { get; private set; } = null!;

    public Uri GatewayUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var registryPort = FreePort.Next();
        RegistryUrl = new Uri($"http://127.0.0.1:{registryPort}/");
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = _data,
            ["Orbit:Registry:AdminKey"] = AdminKey,
            ["Orbit:Registry:MaxArtifactBytes"] = MaxArtifactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _registry.UseKestrel(registryPort);
        _registry.StartServer();

        var gatewayPort = FreePort.Next();
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}/");
        _gateway = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:RegistryUrl"] = RegistryUrl.ToString(),
        });
        _gateway.UseKestrel(gatewayPort);
        _gateway.StartServer();
        using var probe = new HttpClient { BaseAddress = GatewayUrl };
        await Eventually.HttpOkAsync(probe, "/health/ready", TimeSpan.FromSeconds(30));
    }

    public HttpClient Client(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
