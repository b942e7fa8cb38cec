using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Faults;

/// <summary>
/// The registry killed (-9) and restarted in the middle of an upload, and in the middle of the
/// workers' downloads of a newly deployed 200 MB version (<c>./orbit test --long</c>): the upload fails
/// cleanly and leaves nothing half-stored, so a retry stores it; the workers' downloads are retried
/// and the version is served without anyone redeploying it.
/// </summary>
[Trait("Category", "Long")]
public sealed class RegistryRestartTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;

    public RegistryRestartTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task A_registry_killed_during_an_upload_stores_nothing_half_and_the_retry_succeeds()
    {
        var file = Big(_platform.Models, seed: 51);
        var model = "big-" + Guid.NewGuid().ToString("N")[..8];
        using var http = Client();

        var clock = Stopwatch.StartNew();
        var upload = PushAsync(http, model, file, throttle: true);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Kill("registry");
        var failed = await upload;
        await _platform.Platform.OrbitOkAsync("up --workers 2");
        var restarted = clock.Elapsed;

        Assert.NotEqual(HttpStatusCode.Created, failed);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/models/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, await PushAsync(http, model, file, throttle: false));
        Report(FormattableString.Invariant($"| kill -9 the registry during a 200 MB upload | the upload: {(int)failed} ({failed}); no version stored | registry back in {restarted.TotalSeconds:0.0} s; the retry stored version 1 |"));
    }

    [Fact]
    public async Task A_registry_killed_during_the_workers_downloads_leaves_the_version_served_once_it_is_back()
    {
        var file = Big(_platform.Models, seed: 52);
        var model = "big-" + Guid.NewGuid().ToString("N")[..8];
        using var http = Client();
        Assert.Equal(HttpStatusCode.Created, await PushAsync(http, model, file, throttle: false));

        var clock = Stopwatch.StartNew();
        await _platform.Platform.OrbitOkAsync($"deploy {model} --stable 1");
        Kill("registry");
        await _platform.Platform.OrbitOkAsync("up --workers 2");
        var restarted = clock.Elapsed;
        using var client = new OipClient(_platform.Platform.Gateway, _platform.Platform.AdminKey);
        var row = Mlp.RandomRow(new Random(1));
        var expected = Mlp.RunDirect(file, row);
        await Eventually.GetAsync(async () =>
        {
            var answer = await client.InferAsync(model, row);
            return answer.Status == HttpStatusCode.OK && answer.Output.SequenceEqual(expected) ? "served" : null;
        }, TimeSpan.FromSeconds(180), $"{model} to be served after the registry came back");
        Report(FormattableString.Invariant($"| kill -9 the registry while two workers download a new 200 MB version | no redeploy needed | registry back in {restarted.TotalSeconds:0.0} s; served correctly {clock.Elapsed.TotalSeconds:0.0} s after the deploy |"));
    }

    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = _platform.Platform.Gateway, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _platform.Platform.AdminKey);
        return http;
    }

    private void Kill(string service) => Process.GetProcessById(_platform.Platform.Pids()[service]).Kill();

    private void Report(string row)
    {
        _output.WriteLine(row);
        Console.WriteLine("faults: " + row);
    }

    private static async Task<HttpStatusCode> PushAsync(HttpClient http, string model, string file, bool throttle)
    {
        await using var stream = File.OpenRead(file);
        using var content = new MultipartFormDataContent
        {
            { new StreamContent(throttle ? new SlowStream(stream) : stream), "file", "model.onnx" },
        };
        try
        {
            using var response = await http.PostAsync($"/v1/models/{model}/versions", content);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The connection broke with the registry: what a client sees when the server dies under it.
            return 0;
        }
    }

    /// <summary>The MLP with a 200 MB initializer nothing reads: big enough that an upload or download takes a while.</summary>
    private static string Big(string directory, int seed) => Mlp.Write(directory, seed, padding: 50_000_000, prefix: "big");

    /// <summary>Reads its source 1 MB per 50 ms, so an upload is still running when the registry dies.</summary>
    private sealed class SlowStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1 << 20));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(50, cancellationToken);
            return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1 << 20)], cancellationToken);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
