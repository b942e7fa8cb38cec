using System.Diagnostics;
using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.Batch.Bench;

/// <summary>
/// What one chunk and its answer cost to write and read as bus bodies, in one process: camelCase JSON with base64
/// tensors (System.Text.Json, as MassTransit's raw JSON serializer writes them) against the binary wire format.
/// Run it with <c>DOTNET_GCLOHThreshold=0x40000</c>, the services' large-object threshold (services/Directory.Build.props),
/// which this project keeps at .NET's default for its in-process loop: a 136 KB body is then not a large object.
/// </summary>
internal static class ChunkWireCost
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Run(int rows, int iterations)
    {
        var random = new Random(1);
        var inputs = new byte[rows * 32 * sizeof(float)];
        var outputs = new byte[rows * 2 * sizeof(float)];
        random.NextBytes(inputs);
        random.NextBytes(outputs);
        var chunk = new BatchChunkRequested("bj_019ad1c2e5f07c3a9b1e2d4f6a8c0e12", 17, "acme", "bench-mlp", 1,
            "sha256:" + new string('a', 64), rows, [new InferenceTensor("x", "FP32", [rows, 32], RawData: inputs)]);
        var answer = new BatchChunkCompleted(chunk.JobId, chunk.Chunk, chunk.TenantId, [new InferenceTensor("y", "FP32", [rows, 2], RawData: outputs)], "inference-worker-1", 1.5);

        var json = Measure(iterations, () =>
            JsonSerializer.Deserialize<BatchChunkRequested>(JsonSerializer.SerializeToUtf8Bytes(chunk, Json), Json)!.Rows
            + JsonSerializer.Deserialize<BatchChunkCompleted>(JsonSerializer.SerializeToUtf8Bytes(answer, Json), Json)!.Chunk);
        var binary = Measure(iterations, () =>
            ((BatchChunkRequested)InferenceWireFormat.Decode(InferenceWireFormat.Encode(chunk))).Rows
            + ((BatchChunkCompleted)InferenceWireFormat.Decode(InferenceWireFormat.Encode(answer))).Chunk);
        var jsonBytes = JsonSerializer.SerializeToUtf8Bytes(chunk, Json).Length + JsonSerializer.SerializeToUtf8Bytes(answer, Json).Length;
        var binaryBytes = InferenceWireFormat.Encode(chunk).Length + InferenceWireFormat.Encode(answer).Length;

        Console.WriteLine($"| chunk of {rows:N0} rows × 32 FP32 and its answer ({rows:N0} × 2 FP32), write + read | bus bytes | µs per chunk | allocated per chunk |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| JSON, tensors as base64 | {jsonBytes:N0} | {json.Micros:0.0} | {json.Allocated / 1024.0:N0} KiB |");
        Console.WriteLine($"| binary wire format | {binaryBytes:N0} | {binary.Micros:0.0} | {binary.Allocated / 1024.0:N0} KiB |");
        Console.WriteLine($"| binary / JSON (same run) | {(double)binaryBytes / jsonBytes:0.00}× | {binary.Micros / json.Micros:0.00}× | {(double)binary.Allocated / json.Allocated:0.00}× |");
    }

    private static (double Micros, long Allocated) Measure(int iterations, Func<int> roundTrip)
    {
        var check = 0;
        for (var i = 0; i < Math.Max(50, iterations / 10); i++)
        {
            check += roundTrip();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            check += roundTrip();
        }

        var micros = clock.Elapsed.TotalMicroseconds / iterations;
        GC.KeepAlive(check);
        return (micros, (GC.GetAllocatedBytesForCurrentThread() - allocated) / iterations);
    }
}
