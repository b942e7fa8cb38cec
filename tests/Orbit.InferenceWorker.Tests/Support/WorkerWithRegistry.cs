extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.InferenceWorker.Heartbeats;
using Orbit.InferenceWorker.Models;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.InferenceWorker.Tests.Support;

/// <summary>
/// The real registry and a real worker, both in process, on the real RabbitMQ and Redis. The
/// worker downloads from the registry through the registry's in-memory handler and serves only
/// the models a test names.
/// </summary>
internal sealed class WorkerWithRegistry : IAsyncDisposable
{
    public const string AdminKey = "orbit-worker-test-admin-key-0001";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-worker-e2e-").FullName;
    private readonly OrbitServiceFactory<registry::Program> _registry;
    private readonly HttpClient _registryClient;
    private readonly HashSet<string> _models = [];
    private readonly List<string> _downloads = [];
    private WorkerFactory? _worker;

    public WorkerWithRegistry()
    {
        _registry = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "registry"),
            ["Orbit:Registry:Postgres"] = "",
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        _registryClient = _registry.CreateClient();
        _registryClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public string WorkerId { get; } = $"worker-test-{Guid.NewGuid():N}"[..24];

    /// <summary>Settings the worker gets on top of the defaults here, set before <see cref="StartWorker"/>.</summary>
    public Dictionary<string, string?> WorkerSettings { get; } = [];

    public IServiceProvider Worker => _worker?.Services ?? throw new InvalidOperationException("The worker has not started.");

    /// <summary>Starts the worker serving only <paramref name="models"/> (names in tenant <c>admin</c>).</summary>
    public void StartWorker(params string[] models)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(_data, "worker"),
            ["Orbit:InstanceId"] = WorkerId,
            ["Orbit:Worker:RegistryUrl"] = _registry.Server.BaseAddress.ToString(),
            ["Orbit:Worker:RegistryKey"] = AdminKey,
            ["Orbit:Worker:HeartbeatSeconds"] = "1",
            ["Orbit:Worker:MaxQueueDelayMicroseconds"] = "2000",
        };
        for (var i = 0; i < models.Length; i++)
        {
            settings[$"Orbit:Worker:Models:{i}"] = $"admin/{models[i]}";
        }

        foreach (var (key, value) in WorkerSettings)
        {
            settings[key] = value;
        }

        _worker = new WorkerFactory(settings, () => new CountingHandler(this) { InnerHandler = _registry.Server.CreateHandler() });
        _ = _worker.Server;
    }

    /// <summary>Artifact downloads the worker asked the registry for, by digest.</summary>
    public int DownloadsOf(string digest)
    {
        lock (_downloads)
        {
            return _downloads.Count(d => d == digest);
        }
    }

    /// <summary>Whether the worker's model cache holds <paramref name="digest"/>.</summary>
    public bool IsCached(string digest) =>
        File.Exists(Path.Combine(_data, "worker", "models", "sha256", digest[7..9], digest[9..]));

    /// <summary>An HTTP client for the worker's own endpoints (health, metrics).</summary>
    public HttpClient WorkerClient() => _worker?.CreateClient() ?? throw new InvalidOperationException("The worker has not started.");

    /// <summary>Stops the worker as SIGTERM does (the host's graceful stop).</summary>
    public async Task StopWorkerAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
            _worker = null;
        }
    }

    /// <summary>Whether Redis holds this worker's heartbeat key (read through the registry's connection, which outlives the worker).</summary>
    public Task<bool> HeartbeatKeyExistsAsync() =>
        _registry.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().KeyExistsAsync(RedisKeys.Worker(WorkerId));

    public async Task<int> PushAsync(string model, byte[] onnx, string? metadata = null)
    {
        _models.Add(model);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        if (metadata is not null)
        {
            form.Add(new StringContent(metadata), "metadata");
        }

        using var response = await _registryClient.PostAsync($"/v1/models/{model}/versions", form);
        await ExpectAsync(response, HttpStatusCode.Created);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>Pushes <paramref name="onnx"/>, deploys it as stable, starts the worker for the model and waits until it serves; the version.</summary>
    public async Task<int> ServeAsync(string model, byte[] onnx)
    {
        var version = await PushAsync(model, onnx);
        await DeployAsync(model, version);
        StartWorker(model);
        await WaitForServingAsync(model, version);
        return version;
    }

    public async Task DeployAsync(string model, int stable, int? candidate = null, int weight = 0)
    {
        using var response = await _registryClient.PutAsJsonAsync($"/v1/models/{model}/deployment",
            new { stableVersion = stable, candidateVersion = candidate, candidateWeight = weight });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    public async Task UndeployAsync(string model)
    {
        using var response = await _registryClient.DeleteAsync($"/v1/models/{model}/deployment");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>This worker's heartbeat as stored in Redis, or null while there is none.</summary>
    public async Task<WorkerHeartbeat?> HeartbeatAsync()
    {
        var json = await Worker.GetRequiredService<IConnectionMultiplexer>().GetDatabase().StringGetAsync(RedisKeys.Worker(WorkerId));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<WorkerHeartbeat>(json.ToString(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    /// <summary>Waits until the heartbeat lists (or no longer lists) <paramref name="model"/> at <paramref name="version"/>.</summary>
    public Task<WorkerHeartbeat> WaitForServingAsync(string model, int version, bool serving = true) =>
        Eventually.GetAsync(async () =>
        {
            var heartbeat = await HeartbeatAsync();
            var listed = heartbeat?.LoadedModels.Any(m => m.TenantId == "admin" && m.ModelName == model && m.Version == version) ?? false;
            return listed == serving && heartbeat is not null ? heartbeat : null;
        }, TimeSpan.FromSeconds(60), $"the worker's heartbeat to {(serving ? "list" : "drop")} {model} v{version}");

    /// <summary>Sends a request the way the gateway does: request/response to the exchange <c>infer.admin.{model}</c>.</summary>
    public Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> InferAsync(InferenceRequested request) =>
        RawInferenceClient.InferAsync(request);

    public byte[] ArtifactOnDisk(string digest) =>
        File.ReadAllBytes(Path.Combine(_data, "worker", "models", "sha256", digest[7..9], digest[9..]));

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new Xunit.Sdk.XunitException($"expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The models' queues are durable, as in production; a test's own would otherwise outlive it on the shared broker.</summary>
    private async Task DeleteQueuesAsync()
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var name in _models.SelectMany(m => new[] { $"infer.admin.{m}", $"infer.admin.{m}.batch", $"infer.admin.{m}.async", $"infer.admin.{m}.async.batch", BatchAddresses.Queue("admin", m) }))
        {
            await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        _registryClient.Dispose();
        await _registry.DisposeAsync();
        await DeleteQueuesAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Counts the worker's artifact downloads on their way to the registry.</summary>
    private sealed class CountingHandler(WorkerWithRegistry owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri?.AbsolutePath ?? "";
            if (path.StartsWith("/v1/artifacts/", StringComparison.Ordinal))
            {
                lock (owner._downloads)
                {
                    owner._downloads.Add(Uri.UnescapeDataString(path["/v1/artifacts/".Length..]));
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class WorkerFactory(IDictionary<string, string?> settings, Func<HttpMessageHandler> registryHandler)
        : OrbitServiceFactory<Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(ArtifactClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(registryHandler));
        }
    }
}
