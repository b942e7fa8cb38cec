using Orbit.Contracts.Inference;

namespace Orbit.Contracts.Predictions;

/// <summary>
/// An accepted asynchronous prediction, queued on <c>orbit.predictions.pending</c> for any gateway
/// to compute (competing consumers). Written by the gateway after it validated the request and
/// recorded the prediction as pending; <see cref="Source"/> says which ingress took it
/// (<c>http</c>, <c>rabbitmq</c>, <c>kafka</c>).
/// </summary>
public sealed record PredictionRequested(
    string PredictionId,
    string TenantId,
    string ModelName,
    int? ModelVersion,
    IReadOnlyList<InferenceTensor> Inputs,
    int Priority,
    DateTimeOffset AcceptedAt,
    string Source,
    string? RequestId = null,
    IReadOnlyList<string>? RequestedOutputs = null,
    string? RoutingKey = null);
