using System.Text.Json;

namespace Orbit.Contracts.Predictions;

/// <summary>
/// A computed asynchronous prediction, published as plain JSON on the topic exchange
/// <c>orbit.predictions.results</c> with routing key <c>{tenant}.{model}</c> (and, for requests that
/// came over Kafka, on the results topic keyed by request id). <see cref="Response"/> is the Open
/// Inference Protocol v2 infer response, exactly as <c>GET /v1/predictions/{id}</c> returns it.
/// </summary>
public sealed record PredictionCompleted(
    string PredictionId,
    string? RequestId,
    string TenantId,
    string ModelName,
    int ModelVersion,
    JsonElement Response,
    DateTimeOffset CompletedAt,
    string Status = PredictionStates.Completed);
