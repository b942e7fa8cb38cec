extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.DriftMonitor.Baselines;
using Orbit.DriftMonitor.Evaluation;
using Orbit.Hosting.Streams;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Support;

/// <summary>
/// The real registry and a real drift monitor in process, on the real RabbitMQ, with a statistics stream and an error
/// queue of their own (random names) and a store in a temporary directory. The evaluation timer is slowed to an hour:
/// tests run passes themselves (<see cref="EvaluateAsync"/>) at the times they choose.
/// </summary>
internal sealed class MonitorWithRegistry : IAsyncDisposable
{
    public const string AdminKey = "orbit-drift-monitor-test-admin-key-01";
    public const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-drift-monitor-").FullName;
    private readonly OrbitServiceFactory<registry::Program> _registry;
    private readonly Dictionary<string, string?> _extra;
    private MonitorFactory? _monitor;

    public MonitorWithRegistry(Dictionary<string, string?>? settings = null)
    {
        _extra = settings ?? [];
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "registry"),
            ["Orbit:Registry:Postgres"] = "",
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        Registry = _registry.CreateClient();
        Registry.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..10];

    public string Stream => "orbit.stats.test-" + Suffix;

    public string ErrorQueue => "orbit.stats_error.test-" + Suffix;

    public string PredictionsStream => "orbit.predictions.test-" + Suffix;

    public string OutcomesStream => "orbit.outcomes.test-" + Suffix;

    public HttpClient Registry { get; }

    public IServiceProvider Services => (_monitor ?? throw new InvalidOperationException("The monitor has not started.")).Services;

    public void Start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "monitor"),
            ["Orbit:DriftMonitor:RegistryUrl"] = _registry.Server.BaseAddress.ToString(),
            ["Orbit:DriftMonitor:RegistryKey"] = AdminKey,
            ["Orbit:DriftMonitor:StatsStream"] = Stream,
            ["Orbit:DriftMonitor:ErrorQueue"] = ErrorQueue,
            ["Orbit:DriftMonitor:PredictionsStream"] = PredictionsStream,
            ["Orbit:DriftMonitor:OutcomesStream"] = OutcomesStream,
            ["Orbit:DriftMonitor:EvaluateEverySeconds"] = "3600",
            ["Orbit:DriftMonitor:WindowSeconds"] = "60",
            ["Orbit:DriftMonitor:MinSampleSize"] = "200",
        };
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        _monitor = new MonitorFactory(settings, () => _registry.Server.CreateHandler());
        _ = _monitor.Server;
    }

    public async Task StopAsync()
    {
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync();
            _monitor = null;
        }
    }

    /// <summary>A client of the monitor's API with <paramref name="key"/> (the admin key by default).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = (_monitor ?? throw new InvalidOperationException("The monitor has not started.")).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? AdminKey);
        return client;
    }

    public Task PublishAsync(FeatureStatsObserved window) =>
        Services.GetRequiredService<IStreamPublisher>().PublishAsync(Stream, window, CancellationToken.None);

    public Task PublishAsync<T>(string stream, T message) =>
        Services.GetRequiredService<IStreamPublisher>().PublishAsync(stream, message, CancellationToken.None);

    public Task EvaluateAsync(DateTimeOffset now) => Services.GetRequiredService<DriftEvaluator>().EvaluateAsync(now, force: true, CancellationToken.None);

    /// <summary>Pushes the test_add model as a version of <paramref name="model"/> in tenant <paramref name="tenant"/> (admin's by default).</summary>
    public async Task<int> PushAsync(string model, object? metadata, HttpClient? client = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(AddModel));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        if (metadata is not null)
        {
            form.Add(new StringContent(JsonSerializer.Serialize(metadata, JsonSerializerOptions.Web)), "metadata");
        }

        using var response = await (client ?? Registry).PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>A new tenant and a key of <paramref name="role"/> in it.</summary>
    public async Task<(string Tenant, string Key)> TenantAsync(string role = "deployer")
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await Registry.PostAsJsonAsync("/v1/tenants", new CreateTenant(tenant))).EnsureSuccessStatusCode();
        var created = await (await Registry.PostAsJsonAsync("/v1/keys", new CreateApiKey(role, tenant))).Content.ReadFromJsonAsync<ApiKeyCreated>();
        return (tenant, created!.Key);
    }

    /// <summary>A client of the in-process registry with no key of its own (a relay passes the caller's).</summary>
    public HttpClient RegistryWithoutKey() => _registry.CreateClient();

    public string DataDirectory => _data;

    public HttpClient RegistryAs(string key)
    {
        var client = _registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Registry.Dispose();
        await _registry.DisposeAsync();
        await RabbitQueues.DeleteAsync(Stream, ErrorQueue, PredictionsStream, OutcomesStream);
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing connection: the temp directory is cleaned later.
        }
    }

    private sealed class MonitorFactory(IDictionary<string, string?> settings, Func<HttpMessageHandler> registryHandler)
        : OrbitServiceFactory<Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(BaselineSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(registryHandler));
        }
    }
}
