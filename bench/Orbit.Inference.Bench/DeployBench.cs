using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Inference.Bench;

/// <summary>
/// Time to first answer after a deploy: registers <c>--versions</c> versions of a model of about
/// <c>--size-mb</c> MB (different weights, so different artifacts), serves a small model first (so the
/// processes' cold start is not counted), waits <c>--settle</c> seconds (a version is registered well
/// before it is deployed), then deploys each in turn and times from the
/// registry's answer to the deploy call to the first 200 from the gateway for that version, asking every
/// <c>--poll-ms</c> milliseconds.
/// </summary>
internal static class DeployBench
{
    public static async Task<int> RunAsync(Func<string, string?> option)
    {
        var gateway = new Uri(option("--platform") ?? throw new ArgumentException("--platform URL is required"));
        var registry = new Uri(option("--registry") ?? throw new ArgumentException("--registry URL is required"));
        var key = option("--key") ?? throw new ArgumentException("--key KEY is required");
        var versions = int.Parse(option("--versions") ?? "5", CultureInfo.InvariantCulture);
        var sizeMb = double.Parse(option("--size-mb") ?? "10", CultureInfo.InvariantCulture);
        var settle = TimeSpan.FromSeconds(double.Parse(option("--settle") ?? "3", CultureInfo.InvariantCulture));
        var poll = TimeSpan.FromMilliseconds(double.Parse(option("--poll-ms") ?? "5", CultureInfo.InvariantCulture));
        var model = option("--model") ?? $"bench-deploy-{Guid.NewGuid():N}"[..21];

        using var registryClient = new Target("registry", registry, key).CreateClient(1);
        using var gatewayClient = new Target("gateway", gateway, key).CreateClient(1);
        var numbers = new List<int>();
        for (var i = 0; i < versions; i++)
        {
            var onnx = LargeMlp(seed: 1000 + i, (long)(sizeMb * 1024 * 1024));
            numbers.Add(await PushAsync(registryClient, model, onnx));
            Console.Error.WriteLine($"registered {model} v{numbers[^1]} ({onnx.Length / 1048576.0:F1} MB)");
        }

        // Not measured: the platform's first inference (a small model of its own) pays for the processes' cold start
        // (JIT, ONNX Runtime's first session), which a deploy on a running platform does not.
        var warmUp = model + "-warmup";
        var warmVersion = await PushAsync(registryClient, warmUp, BenchModels.Mlp());
        await DeployAsync(registryClient, warmUp, warmVersion);
        var warmBody = InferRequest.Body(BenchModels.All.Single(m => m.Key == "mlp"));
        for (var i = 0; i < 20; i++)
        {
            await FirstOkAsync(gatewayClient, $"/v2/models/{warmUp}/versions/{warmVersion}/infer", warmBody, poll, TimeSpan.FromSeconds(60));
        }

        await Task.Delay(settle);
        var body = InferRequest.Body(new BenchModel("large", model, "x", [1, 32], () => []));
        var seconds = new List<double>();
        foreach (var version in numbers)
        {
            await DeployAsync(registryClient, model, version);
            var answered = Stopwatch.StartNew();
            var tries = await FirstOkAsync(gatewayClient, $"/v2/models/{model}/versions/{version}/infer", body, poll, TimeSpan.FromSeconds(60));
            seconds.Add(answered.Elapsed.TotalSeconds);
            Console.Error.WriteLine(FormattableString.Invariant($"v{version}: first 200 after {seconds[^1]:F3} s ({tries} tries)"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var sorted = seconds.Order().ToList();
        var p50 = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        Console.WriteLine(FormattableString.Invariant(
            $"deploy-to-first-200 over {seconds.Count} deploys of a {sizeMb:0.#} MB model: p50 {p50:F3} s, max {sorted[^1]:F3} s; each: {string.Join(", ", seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))}"));
        return 0;
    }

    private static async Task<int> PushAsync(HttpClient registry, string model, byte[] onnx)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        using var response = await registry.PostAsync($"/v1/models/{model}/versions", form);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"registering {model} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32();
    }

    private static async Task DeployAsync(HttpClient registry, string model, int version)
    {
        using var deploy = await registry.PutAsJsonAsync($"/v1/models/{model}/deployment", new { stableVersion = version });
        if (!deploy.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploy of {model} v{version} answered {(int)deploy.StatusCode}: {await deploy.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<int> FirstOkAsync(HttpClient gateway, string path, byte[] body, TimeSpan poll, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        for (var tries = 1; ; tries++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await gateway.PostAsync(path, content);
            if (response.IsSuccessStatusCode)
            {
                return tries;
            }

            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"{path} did not answer 200 within {within.TotalSeconds} s; last {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>x[batch,32] → Gemm h → Relu → Gemm h → Relu → Gemm 2, with h chosen so the weights come to about <paramref name="bytes"/>.</summary>
    private static byte[] LargeMlp(int seed, long bytes)
    {
        var floats = bytes / 4;
        var hidden = (int)((-34 + Math.Sqrt(34.0 * 34 + 4.0 * floats)) / 2);
        var random = new Random(seed);
        int[] widths = [32, hidden, hidden, 2];
        var builder = new ModelBuilder { GraphName = $"mlp32x{hidden}x{hidden}x2" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 32);
        var current = "x";
        for (var layer = 1; layer < widths.Length; layer++)
        {
            var (fanIn, fanOut) = (widths[layer - 1], widths[layer]);
            var output = layer == widths.Length - 1 ? "y" : $"z{layer}";
            builder.AddInitializer(TensorProto.FromSpan<float>($"w{layer}", BenchModels.Weights(random, fanIn * fanOut, fanIn), fanIn, fanOut))
                .AddInitializer(TensorProto.FromSpan<float>($"b{layer}", BenchModels.Weights(random, fanOut, fanIn), fanOut))
                .AddNode("Gemm", [current, $"w{layer}", $"b{layer}"], [output]);
            if (output != "y")
            {
                builder.AddNode("Relu", [output], [$"h{layer}"]);
                current = $"h{layer}";
            }
        }

        return builder.AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 2).ToBytes();
    }
}
