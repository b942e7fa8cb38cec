using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using Orbit.Hosting;
using Orbit.InferenceWorker;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Serving;
using Orbit.InferenceWorker.Statistics;
using Orbit.Routing;

namespace Orbit.Statistics.Bench;

/// <summary>
/// The inference worker's own services (routing table, model store, dynamic batcher, replies, statistics), built the
/// way the worker builds them but driven directly instead of from RabbitMQ: <see cref="AnswerAsync"/> is what the
/// worker's consumer calls for each request. The model file is placed in the worker's cache by digest, so nothing is
/// downloaded; the statistics collector runs in the background and publishes to the real broker.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InferenceReplies _replies;
    private readonly IHostedService _collector;

    private WorkerHarness(WebApplication app)
    {
        _app = app;
        _replies = app.Services.GetRequiredService<InferenceReplies>();
        _collector = app.Services.GetRequiredService<StatisticsCollector>();
    }

    public static async Task<WorkerHarness> StartAsync(string name, byte[] model, string directory, IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "Orbit.InferenceWorker" });
        var values = new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = directory,
            ["Orbit:InstanceId"] = "bench-" + name,
            ["Orbit:Logging:Level"] = "Warning",
            ["Orbit:Worker:RegistryUrl"] = "http://registry.bench",
            ["Orbit:Worker:RegistryKey"] = "bench",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddOrbitDefaults("inference-worker");
        builder.AddInferenceWorker();
        builder.Services.AddHttpClient(ArtifactClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StubRegistry());
        var app = builder.Build();

        var digest = Digest.Of(SHA256.HashData(model));
        var path = app.Services.GetRequiredService<ModelCache>().PathOf(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, model);
        app.Services.GetRequiredService<RoutingTables>().TryApply(new DeploymentChanged(
            "bench", "bench-mlp", 1, 1, null, 0, DeploymentStrategy.Manual, [new DeploymentRoute(1, 100, digest)], DateTimeOffset.UtcNow, "bench", "bench"));

        var harness = new WorkerHarness(app);
        await harness._collector.StartAsync(CancellationToken.None);
        return harness;
    }

    public Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> AnswerAsync(InferenceRequested request) =>
        _replies.AnswerAsync(request, TimeProvider.System.GetTimestamp(), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _collector.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
