using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Retraining;
using Orbit.Hosting.Streams;
using Orbit.Retrainer.Tests.Training;
using Orbit.Retrainer.Training;
using Orbit.Testing;

namespace Orbit.Retrainer.Tests.Support;

/// <summary>
/// A real registry process and a retrainer host on a RabbitMQ virtual host of their own, a tenant with a deployer
/// key, streams of this fixture's own, and the retrainer's published events collected.
/// </summary>
public sealed class RetrainPlatform : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private VirtualHost _vhost = null!;
    private OrbitServiceFactory<Program> _retrainer = null!;
    private HostReceiveEndpointHandle? _events;

    public string Tenant { get; } = "rt" + Guid.NewGuid().ToString("N")[..8];

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("orbit-retrainer-data-").FullName;

    public string PredictionsStream { get; } = $"test.retrainer.predictions.{Guid.NewGuid():N}";

    public string OutcomesStream { get; } = $"test.retrainer.outcomes.{Guid.NewGuid():N}";

    public string CrashScript { get; private set; } = "";

    /// <summary>The broker URL of the fixture's virtual host.</summary>
    public string RabbitMqUrl => _vhost.Url;

    internal RegistryProcess Registry { get; private set; } = null!;

    public string DeployerKey { get; private set; } = "";

    public ConcurrentQueue<ModelVersionProposed> Proposed { get; } = new();

    public ConcurrentQueue<RetrainAttempted> Attempted { get; } = new();

    public IServiceProvider Services => _retrainer.Services;

    public async Task InitializeAsync()
    {
        _vhost = await VirtualHost.CreateAsync("orbit-retrainer-");
        Registry = await RegistryProcess.StartAsync(_vhost.Url);
        using (var admin = Registry.Client(RegistryProcess.AdminKey))
        {
            (await admin.PostAsJsonAsync("v1/tenants", new { id = Tenant }, Json)).EnsureSuccessStatusCode();
            var created = await (await admin.PostAsJsonAsync("v1/keys", new { tenantId = Tenant, role = "deployer" }, Json)).Content.ReadFromJsonAsync<JsonElement>();
            DeployerKey = created.GetProperty("key").GetString()!;
        }

        CrashScript = Path.Combine(DataDirectory, "crash.sh");
        await File.WriteAllTextAsync(CrashScript, "#!/bin/sh\necho 'reading data'\necho 'Segmentation fault' >&2\nexit 139\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(CrashScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var datasets = Directory.CreateDirectory(Path.Combine(DataDirectory, "datasets")).FullName;
        var original = GeneratedData.Classification(800, seed: 600);
        await File.WriteAllLinesAsync(Path.Combine(datasets, "fresh.csv"), original.Features
            .Select((row, i) => string.Join(",", row.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "," + (original.Labels[i] >= 0.5 ? "yes" : "no"))
            .Prepend("x0,x1,x2,churned"));
        _retrainer = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:Retrainer:Data:DatasetRoot"] = datasets,
            ["Orbit:Retrainer:Models:1:Tenant"] = Tenant,
            ["Orbit:Retrainer:Models:1:Model"] = "fresh",
            ["Orbit:Retrainer:Models:1:Dataset"] = "fresh.csv",
            ["Orbit:Retrainer:Models:1:LabelColumn"] = "churned",
            ["Orbit:Retrainer:Models:1:PositiveLabel"] = "yes",
            ["Orbit:Retrainer:Models:1:Recipe"] = "boosted-trees",
            ["Orbit:Retrainer:Models:1:Bounds:auc"] = "0.9",
            ["Orbit:RabbitMq:Url"] = _vhost.Url,
            ["Orbit:DataDirectory"] = DataDirectory,
            ["Orbit:Retrainer:RegistryUrl"] = Registry.Url.ToString(),
            ["Orbit:Retrainer:RegistryKey"] = RegistryProcess.AdminKey,
            ["Orbit:Retrainer:DebounceSeconds"] = "0",
            ["Orbit:Retrainer:CooldownHours"] = "0",
            ["Orbit:Retrainer:PollSeconds"] = "1",
            ["Orbit:Retrainer:AllowRequestOverrides"] = "true",
            ["Orbit:Retrainer:Data:PredictionsStream"] = PredictionsStream,
            ["Orbit:Retrainer:Data:OutcomesStream"] = OutcomesStream,
            ["Orbit:Retrainer:Data:IdleMilliseconds"] = "700",
            ["Orbit:Retrainer:Models:0:Tenant"] = Tenant,
            ["Orbit:Retrainer:Models:0:Model"] = "crashy",
            ["Orbit:Retrainer:Models:0:Trainer:Command"] = CrashScript,
            ["Orbit:Retrainer:Models:0:Trainer:TimeoutSeconds"] = "60",
        });
        _ = _retrainer.Server;
        var bus = _retrainer.Services.GetRequiredService<IBus>();
        _events = bus.ConnectReceiveEndpoint("test-retrainer-events-" + Guid.NewGuid().ToString("N")[..8], e =>
        {
            e.Handler<ModelVersionProposed>(context =>
            {
                Proposed.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            e.Handler<RetrainAttempted>(context =>
            {
                Attempted.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await _events.Ready;
    }

    /// <summary>The retrainer's API with a key of the fixture's tenant (or another).</summary>
    public HttpClient RetrainerClient(string? key = null)
    {
        var http = _retrainer.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key ?? DeployerKey);
        return http;
    }

    /// <summary>Version 1 of <paramref name="model"/>: logistic regression on distribution A, deployed stable.</summary>
    public async Task PushStableAsync(string model)
    {
        var onnx = new MlNetTrainer().Train(GeneratedData.Classification(1000, seed: 100), Recipe.LogisticRegression).Onnx;
        var metadata = JsonSerializer.Serialize(new
        {
            features = new object[]
            {
                new { name = "x0", type = "numeric", role = "feature" },
                new { name = "x1", type = "numeric", role = "feature" },
                new { name = "x2", type = "numeric", role = "feature" },
                new { name = "churned", type = "categorical", role = "target" },
            },
        });
        using var http = Registry.Client(DeployerKey);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(onnx), "file", "model.onnx" },
            { new StringContent(metadata, System.Text.Encoding.UTF8, "application/json"), "metadata" },
        };
        var pushed = await http.PostAsync($"v1/models/{model}/versions", form);
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        (await http.PutAsJsonAsync($"v1/models/{model}/deployment", new SetDeployment(1), Json)).EnsureSuccessStatusCode();
    }

    /// <summary>Served rows of <paramref name="model"/> (10 per request) and their outcomes, on the fixture's streams.</summary>
    internal async Task PublishTrafficAsync(string model, TrainingTable rows)
    {
        var publisher = Services.GetRequiredService<IStreamPublisher>();
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < rows.Rows; start += 10)
        {
            var requestId = $"{model}-{Guid.NewGuid():N}";
            var logged = Enumerable.Range(start, Math.Min(10, rows.Rows - start))
                .Select(i => new LoggedRow([.. rows.Features[i].Select(f => (double)f)], [0.5])).ToList();
            await publisher.PublishAsync(PredictionsStream, new PredictionLogged(requestId, Tenant, model, 1, rows.FeatureNames, logged, now), default);
            for (var row = 0; row < logged.Count; row++)
            {
                var label = rows.Labels[start + row] >= 0.5 ? "1" : "0";
                await publisher.PublishAsync(OutcomesStream, new OutcomeObserved(requestId, Tenant, model, now, row, label), default);
            }
        }
    }

    /// <summary>Waits until the model's newest attempt has one of the final statuses.</summary>
    public async Task<JsonElement> FinishedAttemptAsync(string model, string? id = null)
    {
        using var http = RetrainerClient();
        var raw = await Eventually.GetAsync<string>(async () =>
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"v1/retrains/{model}", Json);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                if ((id is null || item.GetProperty("id").GetString() == id)
                    && item.GetProperty("status").GetString() is "failed" or "rejected" or "registered" or "skipped")
                {
                    return item.GetRawText();
                }
            }

            return null;
        }, TimeSpan.FromSeconds(120), $"a finished retrain attempt of {model}");
        return JsonDocument.Parse(raw).RootElement;
    }

    public async Task DisposeAsync()
    {
        if (_events is { } events)
        {
            await events.StopAsync();
        }

        await _retrainer.DisposeAsync();
        await Registry.DisposeAsync();
        await _vhost.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
