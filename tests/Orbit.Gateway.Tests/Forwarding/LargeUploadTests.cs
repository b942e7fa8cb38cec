using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;
using Xunit.Abstractions;

namespace Orbit.Gateway.Tests.Forwarding;

public sealed class LargeUploadTests(KestrelStack stack, ITestOutputHelper output) : IClassFixture<KestrelStack>, IDisposable
{
    // Over Kestrel's default request body limit of 30 MB (28.6 MiB), which the gateway used to apply to uploads.
    private const int ModelFloats = 10_000_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("orbit-large-upload-").FullName;

    [Fact]
    public async Task A_model_over_30_MB_pushed_through_the_gateway_is_stored_as_it_is_directly()
    {
        var path = Path.Combine(_folder, "large.onnx");
        await File.WriteAllBytesAsync(path, LargeModel());
        using var gateway = stack.Client(stack.GatewayUrl);
        var model = "large-" + Guid.NewGuid().ToString("N")[..8];

        var started = Stopwatch.GetTimestamp();
        using var response = await PushAsync(gateway, model, path);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        Assert.Contains($"\"sizeBytes\":{new FileInfo(path).Length}", body);
        output.WriteLine($"{new FileInfo(path).Length / 1e6:0.0} MB through the gateway in {elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_body_over_the_registrys_limit_gets_the_registrys_413_and_message_through_the_gateway()
    {
        var path = Path.Combine(_folder, "too-large.bin");
        await using (var file = File.Create(path))
        {
            file.SetLength(KestrelStack.MaxArtifactBytes + (4 * 1024 * 1024));
        }

        using var gateway = stack.Client(stack.GatewayUrl);

        using var response = await PushAsync(gateway, "too-large", path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Orbit:Registry:MaxArtifactBytes", body);
        Assert.Contains("\"field\":\"file\"", body);
    }

    [Fact]
    public async Task A_body_over_the_registrys_limit_is_answered_413_even_without_Expect_continue()
    {
        var path = Path.Combine(_folder, "too-large-streamed.bin");
        await using (var file = File.Create(path))
        {
            file.SetLength(KestrelStack.MaxArtifactBytes + (4 * 1024 * 1024));
        }

        using var gateway = stack.Client(stack.GatewayUrl);

        using var response = await PushAsync(gateway, "too-large", path, expectContinue: false);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Orbit:Registry:MaxArtifactBytes", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>x [n] + w (a 40 MB initializer) → y: a real model larger than Kestrel's default body limit.</summary>
    private static byte[] LargeModel()
    {
        var weights = new float[ModelFloats];
        weights.AsSpan().Fill(0.5f);
        return new ModelBuilder()
            .AddInput("x", TensorElementType.Float, ModelFloats)
            .AddInitializer(TensorProto.FromSpan<float>("w", weights, ModelFloats))
            .AddNode("Add", ["x", "w"], ["y"])
            .AddOutput("y", TensorElementType.Float, ModelFloats)
            .ToBytes();
    }

    private static async Task<HttpResponseMessage> PushAsync(HttpClient client, string model, string path, bool expectContinue = true)
    {
        await using var file = File.OpenRead(path);
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(file, 81920);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", "model.onnx");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/models/{model}/versions") { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request);
    }
}
