using System.Globalization;
using System.Text.Json;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Reads a prediction request in either of its two documented forms, the inputs always through
/// <see cref="OipRequestReader"/> (the same checks as the real-time path):
/// over HTTP an OIP v2 infer body plus <c>model</c>, optional <c>version</c> and <c>priority</c>;
/// on the bus (RabbitMQ, Kafka) a plain-JSON <c>InferenceRequested</c>: <c>requestId</c>, <c>modelName</c>,
/// optional <c>modelVersion</c>, <c>priority</c>, <c>requestedOutputs</c>, <c>routingKey</c>, and <c>inputs</c> with <c>data</c>.
/// </summary>
internal static class PredictionBodyReader
{
    public static (Submission? Submission, SubmissionRefusal? Refusal) ReadHttp(JsonElement root, long bodyBytes, string? idempotencyKey)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refuse("body", "the body must be a JSON object with 'model' and 'inputs'");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } modelName)
        {
            return Refuse("model", "'model' must be the name of a deployed model");
        }

        string? version = null;
        if (root.TryGetProperty("version", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            version = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number when v.TryGetInt32(out var n) => n.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (version is null)
            {
                return Refuse("version", "'version' must be a version number");
            }
        }

        var (priority, priorityError) = ReadPriority(root);
        if (priorityError is not null)
        {
            return (null, priorityError);
        }

        var (request, error) = OipRequestReader.Read(root, bodyBytes);
        return request is null
            ? Refuse(FieldOf(error!), error!)
            : (new Submission(modelName, version, priority, request, idempotencyKey, PredictionSources.Http), null);
    }

    public static (Submission? Submission, SubmissionRefusal? Refusal) ReadMessage(JsonElement root, long bodyBytes, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refuse("body", "the message must be a JSON object (an InferenceRequested)");
        }

        var requestId = Text(root, "requestId");
        if (requestId is not { Length: > 0 })
        {
            return Refuse("requestId", "'requestId' must be a non-empty string (it makes redelivered requests computed once)");
        }

        var modelName = Text(root, "modelName");
        if (modelName is not { Length: > 0 })
        {
            return Refuse("modelName", "'modelName' must be the name of a deployed model");
        }

        string? version = null;
        if (root.TryGetProperty("modelVersion", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var number))
            {
                return Refuse("modelVersion", "'modelVersion' must be a version number or null");
            }

            version = number.ToString(CultureInfo.InvariantCulture);
        }

        var (priority, priorityError) = ReadPriority(root);
        if (priorityError is not null)
        {
            return (null, priorityError);
        }

        List<string>? outputs = null;
        if (root.TryGetProperty("requestedOutputs", out var requested) && requested.ValueKind != JsonValueKind.Null)
        {
            if (requested.ValueKind != JsonValueKind.Array || requested.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.String))
            {
                return Refuse("requestedOutputs", "'requestedOutputs' must be an array of output names");
            }

            outputs = [.. requested.EnumerateArray().Select(o => o.GetString()!)];
        }

        var (request, error) = OipRequestReader.Read(root, bodyBytes);
        return request is null
            ? Refuse(FieldOf(error!), error!)
            : (new Submission(modelName, version, priority, request with { Id = requestId, Outputs = outputs, RoutingKey = Text(root, "routingKey") }, null, source), null);
    }

    private static (int? Priority, SubmissionRefusal? Refusal) ReadPriority(JsonElement root)
    {
        if (!root.TryGetProperty("priority", out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var priority) && priority is >= 0 and <= 9
            ? (priority, null)
            : (null, new SubmissionRefusal(StatusCodes.Status400BadRequest, "priority", "'priority' must be a number from 0 to 9 (1 batch, 5 asynchronous, 9 real-time)"));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The field an OIP reader error is about: its messages start with, or name, the field.</summary>
    private static string FieldOf(string error) =>
        error.StartsWith("'id'", StringComparison.Ordinal) ? "id"
        : error.Contains("'outputs'", StringComparison.Ordinal) ? "outputs"
        : error.StartsWith("parameters.", StringComparison.Ordinal) ? "parameters"
        : "inputs";

    private static (Submission?, SubmissionRefusal?) Refuse(string field, string detail) =>
        (null, new SubmissionRefusal(StatusCodes.Status400BadRequest, field, detail));
}

/// <summary>Where a prediction came from; results also go back the way a Kafka request came.</summary>
internal static class PredictionSources
{
    public const string Http = "http";
    public const string RabbitMq = "rabbitmq";
    public const string Kafka = "kafka";
}
