using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>
/// Reads a header and hands each tensor its own bytes, copied once out of the body, in the order
/// the header names them. Anything that does not fit (a missing field, a value of the wrong kind,
/// tensor bytes that run past the body or leave some over) is an <see cref="InferenceWireException"/>.
/// </summary>
internal static class InferenceWireReader
{
    public static object Read(InferenceWireKind kind, ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> tensorBytes)
    {
        var tensors = new TensorBytes(tensorBytes);
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            object message = kind switch
            {
                InferenceWireKind.Requested => Requested(root, tensors),
                InferenceWireKind.BatchRequested => new InferenceBatchRequested(
                    Text(root, "tenantId"), Text(root, "modelName"), List(root, "requests", r => Requested(r, tensors))),
                InferenceWireKind.Completed => Completed(root, tensors),
                InferenceWireKind.BatchCompleted => new InferenceBatchCompleted(List(root, "results", r => new InferenceBatchResult(
                    Text(r, "requestId"),
                    r.TryGetProperty("completed", out var completed) ? Completed(completed, tensors) : null,
                    r.TryGetProperty("rejected", out var rejected) ? Rejected(rejected) : null))),
                InferenceWireKind.ChunkRequested => ChunkRequested(root, tensors),
                InferenceWireKind.ChunkCompleted => ChunkCompleted(root, tensors),
                _ => throw new InferenceWireException($"unknown message kind {(byte)kind}"),
            };
            tensors.CheckAllTaken();
            return message;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            throw new InferenceWireException($"the header is not a valid {kind} header: {ex.Message}", ex);
        }
    }

    private static InferenceRequested Requested(JsonElement e, TensorBytes tensors) => new(
        Text(e, "requestId"),
        Text(e, "tenantId"),
        Text(e, "modelName"),
        e.TryGetProperty("modelVersion", out var version) ? version.GetInt32() : null,
        Tensors(e, "inputs", tensors),
        Field(e, "deadline").GetDateTimeOffset(),
        e.TryGetProperty("requestedOutputs", out var outputs) ? [.. outputs.EnumerateArray().Select(o => o.GetString()!)] : null,
        Field(e, "priority").GetInt32(),
        e.TryGetProperty("routingKey", out var routingKey) ? routingKey.GetString() : null,
        e.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : null);

    private static InferenceCompleted Completed(JsonElement e, TensorBytes tensors) => new(
        Text(e, "requestId"),
        Text(e, "modelName"),
        Field(e, "modelVersion").GetInt32(),
        Tensors(e, "outputs", tensors),
        Text(e, "workerId"),
        Field(e, "queueMilliseconds").GetDouble(),
        Field(e, "computeMilliseconds").GetDouble(),
        Field(e, "batchSize").GetInt32());

    private static BatchChunkRequested ChunkRequested(JsonElement e, TensorBytes tensors) => new(
        Text(e, "jobId"),
        Field(e, "chunk").GetInt32(),
        Text(e, "tenantId"),
        Text(e, "modelName"),
        Field(e, "modelVersion").GetInt32(),
        Text(e, "digest"),
        Field(e, "rows").GetInt32(),
        Tensors(e, "inputs", tensors),
        e.TryGetProperty("maxBatchSize", out var maxBatchSize) && maxBatchSize.ValueKind != JsonValueKind.Null ? maxBatchSize.GetInt32() : null);

    private static BatchChunkCompleted ChunkCompleted(JsonElement e, TensorBytes tensors) => new(
        Text(e, "jobId"),
        Field(e, "chunk").GetInt32(),
        Text(e, "tenantId"),
        Tensors(e, "outputs", tensors),
        Text(e, "workerId"),
        Field(e, "computeMilliseconds").GetDouble());

    private static InferenceRejected Rejected(JsonElement e) => new(
        Text(e, "requestId"),
        Text(e, "modelName"),
        Enum.Parse<RejectionReason>(Text(e, "reason")),
        Text(e, "detail"),
        e.TryGetProperty("field", out var field) ? field.GetString() : null,
        e.TryGetProperty("workerId", out var workerId) ? workerId.GetString() : null);

    private static List<InferenceTensor> Tensors(JsonElement e, string name, TensorBytes tensors) => List(e, name, t => new InferenceTensor(
        Text(t, "name"),
        Text(t, "datatype"),
        t.TryGetProperty("shape", out var shape) ? [.. shape.EnumerateArray().Select(d => d.GetInt64())] : null!,
        t.TryGetProperty("data", out var data) ? data.Clone() : null,
        t.TryGetProperty("rawDataBytes", out var bytes) ? tensors.Take(bytes.GetInt64(), Text(t, "name")) : null));

    private static List<T> List<T>(JsonElement e, string name, Func<JsonElement, T> read)
    {
        var array = Field(e, name);
        var list = new List<T>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(read(item));
        }

        return list;
    }

    private static string Text(JsonElement e, string name) =>
        Field(e, name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static JsonElement Field(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"'{name}' is missing");

    private sealed class TensorBytes(ReadOnlyMemory<byte> bytes)
    {
        private int _offset;

        public byte[] Take(long count, string tensor)
        {
            if (count < 0 || count > bytes.Length - _offset)
            {
                throw new InferenceWireException($"tensor '{tensor}' claims {count} bytes; {bytes.Length - _offset} remain after the header");
            }

            var taken = bytes.Slice(_offset, (int)count).ToArray();
            _offset += (int)count;
            return taken;
        }

        public void CheckAllTaken()
        {
            if (_offset != bytes.Length)
            {
                throw new InferenceWireException($"{bytes.Length - _offset} bytes follow the last tensor");
            }
        }
    }
}
