using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orbit.Hosting;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tests.Support;

namespace Orbit.InferenceWorker.Tests.Models;

/// <summary>
/// Downloads against a real HTTP server (Kestrel on loopback) that misbehaves the way a registry
/// under trouble does: it errors, stalls mid-body, or drops the connection mid-body as a restart does.
/// </summary>
public sealed class ArtifactDownloadFaultTests : IAsyncDisposable
{
    // Generous bound on each test's wait: the old code waited forever on a stalled body.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-download-").FullName;
    private readonly byte[] _model = TestModels.Mlp();
    private readonly Queue<Fault> _script = new();
    private WebApplication? _server;
    private int _requests;

    private enum Fault { Ok, Error, Stall, Cut }

    private string Digest => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_model));

    private async Task<string> StartRegistryAsync(params Fault[] script)
    {
        foreach (var fault in script)
        {
            _script.Enqueue(fault);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/v1/artifacts/{digest}", ServeAsync);
        await _server.StartAsync();
        return _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private async Task ServeAsync(HttpContext context)
    {
        Fault fault;
        lock (_script)
        {
            _requests++;
            fault = _script.Count > 1 ? _script.Dequeue() : _script.Peek();
        }

        if (fault == Fault.Error)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.ContentLength = _model.Length;
        var half = _model.Length / 2;
        await context.Response.Body.WriteAsync(_model.AsMemory(0, fault == Fault.Ok ? _model.Length : half));
        await context.Response.Body.FlushAsync();
        switch (fault)
        {
            case Fault.Stall:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                break;
            case Fault.Cut:
                context.Abort();
                break;
        }
    }

    private readonly PlainClients _clients = new();

    private ModelCache Cache(string registryUrl, int attempts = 5)
    {
        var options = Options.Create(new WorkerOptions
        {
            RegistryUrl = registryUrl,
            RegistryKey = "k-0123456789abcdef",
            DownloadReadTimeoutSeconds = 1,
            DownloadBackoffMilliseconds = 10,
            DownloadAttempts = attempts,
        });
        var artifacts = new ArtifactClient(_clients, options, TimeProvider.System, NullLogger<ArtifactClient>.Instance);
        var service = new OrbitServiceInfo("inference-worker", "w-1", DateTimeOffset.UtcNow, _data);
        return new ModelCache(artifacts, options, service, TimeProvider.System, NullLogger<ModelCache>.Instance);
    }

    [Fact]
    public async Task A_download_that_errors_stalls_and_is_cut_is_retried_until_it_arrives_whole()
    {
        var url = await StartRegistryAsync(Fault.Cut, Fault.Stall, Fault.Error, Fault.Ok);
        var cache = Cache(url);

        var path = await cache.EnsureAsync(Digest, () => new HashSet<string>(), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(_model, await File.ReadAllBytesAsync(path));
        Assert.Equal(4, _requests);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models", "tmp")));
    }

    [Fact]
    public async Task A_registry_that_keeps_stalling_fails_the_load_after_the_configured_tries_and_leaves_nothing_behind()
    {
        var url = await StartRegistryAsync(Fault.Stall);
        var cache = Cache(url, attempts: 3);

        var failed = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => cache.EnsureAsync(Digest, () => new HashSet<string>(), CancellationToken.None).WaitAsync(Bound));

        Assert.Contains("3 tries", failed.Message);
        Assert.Equal(3, _clients.Sent);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models", "tmp")));
    }

    [Fact]
    public async Task A_load_whose_download_fails_unexpectedly_fails_as_model_unavailable_not_as_a_crash()
    {
        // A fault nobody foresaw: the download folder cannot be created (a file stands in its way). The load
        // fails with the one exception every caller handles, and a later load tries again.
        var registry = new StubRegistry(_ => _model);
        var blocked = Path.Combine(_data, "models", "tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllBytesAsync(blocked, [1]);
        var options = Options.Create(new WorkerOptions { RegistryKey = "k-0123456789abcdef" });
        var artifacts = new ArtifactClient(registry, options, TimeProvider.System, NullLogger<ArtifactClient>.Instance);
        var service = new OrbitServiceInfo("inference-worker", "w-1", DateTimeOffset.UtcNow, _data);
        var cache = new ModelCache(artifacts, options, service, TimeProvider.System, NullLogger<ModelCache>.Instance);
        using var store = new ModelStore(cache, options, TimeProvider.System, NullLogger<ModelStore>.Instance);

        await Assert.ThrowsAsync<ModelUnavailableException>(() => store.LoadAsync(Digest, CancellationToken.None).WaitAsync(Bound));
        File.Delete(blocked);
        var model = await store.LoadAsync(Digest, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(Digest, model.Digest);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    /// <summary>Counts the requests the client sends: under load a stalled try can time out before the server's handler runs.</summary>
    private sealed class PlainClients : IHttpClientFactory
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public HttpClient CreateClient(string name) => new(new Counting(this) { InnerHandler = new SocketsHttpHandler() });

        private sealed class Counting(PlainClients owner) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._sent);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
