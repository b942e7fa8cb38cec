using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>Writes a message's header as JSON, collecting its tensors' bytes, then the whole body in one array.</summary>
internal static class InferenceWireWriter
{
    public static byte[] Write(object message, InferenceWireKind kind)
    {
        var header = new ArrayBufferWriter<byte>(1024);
        var tensors = new List<byte[]>();
        using (var json = new Utf8JsonWriter(header, new JsonWriterOptions { SkipValidation = true }))
        {
            switch (message)
            {
                case InferenceRequested request:
                    Requested(json, request, tensors);
                    break;
                case InferenceBatchRequested batch:
                    json.WriteStartObject();
                    json.WriteString("tenantId", batch.TenantId);
                    json.WriteString("modelName", batch.ModelName);
                    json.WriteStartArray("requests");
                    foreach (var request in batch.Requests)
                    {
                        Requested(json, request, tensors);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                case InferenceCompleted completed:
                    Completed(json, completed, tensors);
                    break;
                case InferenceBatchCompleted batch:
                    json.WriteStartObject();
                    json.WriteStartArray("results");
                    foreach (var result in batch.Results)
                    {
                        json.WriteStartObject();
                        json.WriteString("requestId", result.RequestId);
                        if (result.Completed is { } completed)
                        {
                            json.WritePropertyName("completed");
                            Completed(json, completed, tensors);
                        }

                        if (result.Rejected is { } rejected)
                        {
                            json.WritePropertyName("rejected");
                            Rejected(json, rejected);
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                case BatchChunkRequested chunk:
                    ChunkRequested(json, chunk, tensors);
                    break;
                case BatchChunkCompleted chunk:
                    ChunkCompleted(json, chunk, tensors);
                    break;
            }
        }

        long length = InferenceWireFormat.PreambleLength + header.WrittenCount;
        foreach (var tensor in tensors)
        {
            length += tensor.Length;
        }

        if (length > Array.MaxLength)
        {
            throw new NotSupportedException($"the message would be {length} bytes, more than one array holds");
        }

        var body = new byte[length];
        InferenceWireFormat.Magic.CopyTo(body);
        body[InferenceWireFormat.Magic.Length] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(InferenceWireFormat.Magic.Length + 1), (uint)header.WrittenCount);
        header.WrittenSpan.CopyTo(body.AsSpan(InferenceWireFormat.PreambleLength));
        var offset = InferenceWireFormat.PreambleLength + header.WrittenCount;
        foreach (var tensor in tensors)
        {
            tensor.CopyTo(body, offset);
            offset += tensor.Length;
        }

        return body;
    }

    private static void Requested(Utf8JsonWriter json, InferenceRequested request, List<byte[]> tensors)
    {
        json.WriteStartObject();
        json.WriteString("requestId", request.RequestId);
        json.WriteString("tenantId", request.TenantId);
        json.WriteString("modelName", request.ModelName);
        if (request.ModelVersion is { } version)
        {
            json.WriteNumber("modelVersion", version);
        }

        Tensors(json, "inputs", request.Inputs, tensors);
        json.WriteString("deadline", request.Deadline);
        if (request.RequestedOutputs is { } outputs)
        {
            json.WriteStartArray("requestedOutputs");
            foreach (var output in outputs)
            {
                json.WriteStringValue(output);
            }

            json.WriteEndArray();
        }

        json.WriteNumber("priority", request.Priority);
        if (request.RoutingKey is { } routingKey)
        {
            json.WriteString("routingKey", routingKey);
        }

        if (request.Parameters is { } parameters)
        {
            json.WriteStartObject("parameters");
            foreach (var (key, value) in parameters)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void Completed(Utf8JsonWriter json, InferenceCompleted completed, List<byte[]> tensors)
    {
        json.WriteStartObject();
        json.WriteString("requestId", completed.RequestId);
        json.WriteString("modelName", completed.ModelName);
        json.WriteNumber("modelVersion", completed.ModelVersion);
        Tensors(json, "outputs", completed.Outputs, tensors);
        json.WriteString("workerId", completed.WorkerId);
        json.WriteNumber("queueMilliseconds", completed.QueueMilliseconds);
        json.WriteNumber("computeMilliseconds", completed.ComputeMilliseconds);
        json.WriteNumber("batchSize", completed.BatchSize);
        json.WriteEndObject();
    }

    private static void ChunkRequested(Utf8JsonWriter json, BatchChunkRequested chunk, List<byte[]> tensors)
    {
        json.WriteStartObject();
        json.WriteString("jobId", chunk.JobId);
        json.WriteNumber("chunk", chunk.Chunk);
        json.WriteString("tenantId", chunk.TenantId);
        json.WriteString("modelName", chunk.ModelName);
        json.WriteNumber("modelVersion", chunk.ModelVersion);
        json.WriteString("digest", chunk.Digest);
        json.WriteNumber("rows", chunk.Rows);
        Tensors(json, "inputs", chunk.Inputs, tensors);
        if (chunk.MaxBatchSize is { } maxBatchSize)
        {
            json.WriteNumber("maxBatchSize", maxBatchSize);
        }

        json.WriteEndObject();
    }

    private static void ChunkCompleted(Utf8JsonWriter json, BatchChunkCompleted chunk, List<byte[]> tensors)
    {
        json.WriteStartObject();
        json.WriteString("jobId", chunk.JobId);
        json.WriteNumber("chunk", chunk.Chunk);
        json.WriteString("tenantId", chunk.TenantId);
        Tensors(json, "outputs", chunk.Outputs, tensors);
        json.WriteString("workerId", chunk.WorkerId);
        json.WriteNumber("computeMilliseconds", chunk.ComputeMilliseconds);
        json.WriteEndObject();
    }

    private static void Rejected(Utf8JsonWriter json, InferenceRejected rejected)
    {
        json.WriteStartObject();
        json.WriteString("requestId", rejected.RequestId);
        json.WriteString("modelName", rejected.ModelName);
        json.WriteString("reason", rejected.Reason.ToString());
        json.WriteString("detail", rejected.Detail);
        if (rejected.Field is { } field)
        {
            json.WriteString("field", field);
        }

        if (rejected.WorkerId is { } workerId)
        {
            json.WriteString("workerId", workerId);
        }

        json.WriteEndObject();
    }

    private static void Tensors(Utf8JsonWriter json, string name, IReadOnlyList<InferenceTensor> list, List<byte[]> tensors)
    {
        json.WriteStartArray(name);
        foreach (var tensor in list)
        {
            json.WriteStartObject();
            json.WriteString("name", tensor.Name);
            json.WriteString("datatype", tensor.Datatype);
            if (tensor.Shape is { } shape)
            {
                json.WriteStartArray("shape");
                foreach (var dim in shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
            }

            if (tensor.Data is { ValueKind: not JsonValueKind.Undefined } data)
            {
                json.WritePropertyName("data");
                data.WriteTo(json);
            }

            if (tensor.RawData is { } raw)
            {
                json.WriteNumber("rawDataBytes", raw.Length);
                tensors.Add(raw);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
