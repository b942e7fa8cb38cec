using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Registry;
using Orbit.InferenceWorker.Statistics;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx.Tensors;

namespace Orbit.Statistics.Bench;

/// <summary>The collector's work per request alone (decode, accumulate), single-threaded: what each served request costs the background thread.</summary>
internal static class Micro
{
    public static void Run()
    {
        var view = JsonSerializer.Deserialize<VersionView>(StubRegistry.VersionJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var profile = VersionProfileBuilder.Build(view.Metadata, view.Signature);
        var window = new VersionWindow(profile, 20);
        var random = new Random(1);
        var served = Enumerable.Range(0, 1024).Select(_ =>
        {
            var x = Enumerable.Range(0, 32).Select(_ => (float)random.NextDouble()).ToArray();
            var y = new[] { (float)random.NextDouble(), (float)random.NextDouble() };
            var bytes = MemoryMarshal.AsBytes(x.AsSpan()).ToArray();
            return new ServedRequest(
                new InferenceRequested("r", "bench", "bench-mlp", 1, [new InferenceTensor("x", "FP32", [1, 32], RawData: bytes)], DateTimeOffset.MaxValue),
                1, [new DecodedTensor("x", TensorElementType.Float, [1, 32], bytes, null)],
                [new InferenceTensor("y", "FP32", [1, 2], RawData: MemoryMarshal.AsBytes(y.AsSpan()).ToArray())], DateTimeOffset.UnixEpoch);
        }).ToArray();
        for (var round = 0; round < 3; round++)
        {
            const int Count = 500_000;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Count; i++)
            {
                window.Add(ServedRows.Read(served[i & 1023], profile)!);
            }

            Console.WriteLine($"collector work per request (read the decoded input + 32 numeric features + argmax prediction): {Stopwatch.GetElapsedTime(start).TotalMicroseconds / Count:F2} µs");
        }

        // The prediction log's own work per logged request in the batched form: its entry built and its share of one
        // 500-row PredictionsLogged serialised as the stream publisher does (the publish and its confirm excluded).
        for (var round = 0; round < 3; round++)
        {
            const int Count = 100_000;
            var batches = new PredictionLogBatches(500);
            var bytes = 0L;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Count; i++)
            {
                var request = served[i & 1023];
                if (batches.Add(request, profile, PredictionLog.Build(request, profile, ServedRows.Read(request, profile)!)) is { } full)
                {
                    bytes += JsonSerializer.SerializeToUtf8Bytes(full, Orbit.Hosting.Streams.StreamJson.Options).Length;
                }
            }

            Console.WriteLine($"prediction log work per logged request (entry + JSON of a 500-row batch, no publish): {Stopwatch.GetElapsedTime(start).TotalMicroseconds / Count:F2} µs, {bytes / Count} bytes");
        }
    }
}
