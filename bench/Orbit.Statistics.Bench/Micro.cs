using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orbit.Contracts.Drift;
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

        // The JSON alone, the same 500-row batches: float32 values formatted by .NET's writer (WriteNumberValue, as
        // before ShortestFloat) and as LoggedRowJson writes them now, alternately in one run.
        var batchesOf500 = new List<PredictionsLogged>();
        var collecting = new PredictionLogBatches(500);
        for (var i = 0; batchesOf500.Count < 20; i++)
        {
            var request = served[i & 1023];
            if (collecting.Add(request, profile, PredictionLog.Build(request, profile, ServedRows.Read(request, profile)!)) is { } batch)
            {
                batchesOf500.Add(batch);
            }
        }

        var before = new JsonSerializerOptions(Orbit.Hosting.Streams.StreamJson.Options);
        before.Converters.Insert(0, new WriterFormattedRows());
        var sameJson = JsonSerializer.SerializeToUtf8Bytes(batchesOf500[0], before).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(batchesOf500[0], Orbit.Hosting.Streams.StreamJson.Options));
        var rounds = new List<(double Dotnet, double Now)>();
        for (var round = 0; round <= 5; round++)
        {
            var dotnet = SerialiseMicroseconds(batchesOf500, before);
            var now = SerialiseMicroseconds(batchesOf500, Orbit.Hosting.Streams.StreamJson.Options);
            // Round 0 warms up (tiered JIT).
            if (round > 0)
            {
                rounds.Add((dotnet, now));
            }
        }

        var (medianDotnet, medianNow) = (Median(rounds.Select(r => r.Dotnet)), Median(rounds.Select(r => r.Now)));
        Console.WriteLine(
            $"JSON of one 500-row PredictionsLogged (32 features + 2 outputs a row), median of 5 rounds: {medianDotnet:F0} µs with .NET's float formatting, " +
            $"{medianNow:F0} µs with ShortestFloat ({medianDotnet / medianNow:F2}x; per logged request {medianDotnet / 500:F2} → {medianNow / 500:F2} µs); " +
            $"rounds' ratios {string.Join(", ", rounds.Select(r => (r.Dotnet / r.Now).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}; same bytes: {(sameJson ? "yes" : "NO")}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double SerialiseMicroseconds(List<PredictionsLogged> batches, JsonSerializerOptions options)
    {
        const int Repeats = 10;
        var start = Stopwatch.GetTimestamp();
        for (var r = 0; r < Repeats; r++)
        {
            foreach (var batch in batches)
            {
                JsonSerializer.SerializeToUtf8Bytes(batch, options);
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / (Repeats * batches.Count);
    }

    /// <summary>LoggedRowJson's rows as they were written before ShortestFloat: float32 values by the writer's own formatting.</summary>
    private sealed class WriterFormattedRows : JsonConverter<LoggedRow>
    {
        public override LoggedRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, LoggedRow value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("features");
            WriteNumbers(writer, value.Features);
            writer.WritePropertyName("prediction");
            WriteNumbers(writer, value.Prediction);
            writer.WriteString("label", value.Label);
            writer.WriteEndObject();
        }

        private static void WriteNumbers(Utf8JsonWriter writer, IReadOnlyList<double> values)
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                if (!double.IsFinite(value))
                {
                    writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
                }
                else if ((double)(float)value == value)
                {
                    writer.WriteNumberValue((float)value);
                }
                else
                {
                    writer.WriteNumberValue(value);
                }
            }

            writer.WriteEndArray();
        }
    }
}
