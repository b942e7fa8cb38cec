using Orbit.Testing;

namespace Orbit.Registry.Tests.Support;

/// <summary>A real registry, in process, on a <see cref="TestStore"/>, with real RabbitMQ and Redis.</summary>
public sealed class RegistryHost : IAsyncDisposable
{
    private readonly OrbitServiceFactory<Program> _factory;

    private RegistryHost(OrbitServiceFactory<Program> factory, TestStore store)
    {
        _factory = factory;
        Store = store;
    }

    public TestStore Store { get; }

    public IServiceProvider Services => _factory.Services;

    public static RegistryHost Start(TestStore store, IDictionary<string, string?>? extra = null)
    {
        var settings = store.Settings();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new OrbitServiceFactory<Program>(settings);
        _ = factory.Server;
        return new RegistryHost(factory, store);
    }

    public RegistryClient Client(string? key = RegistryClient.AdminKey)
    {
        var http = _factory.CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return new RegistryClient(http);
    }

    public HttpClient RawClient() => _factory.CreateClient();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
