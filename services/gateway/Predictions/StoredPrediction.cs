using System.Text.Json;
using Orbit.Contracts.Predictions;

namespace Orbit.Gateway.Predictions;

/// <summary>A prediction as Redis holds it; <see cref="Response"/> is the OIP v2 infer response's JSON once completed.</summary>
internal sealed record StoredPrediction(
    string Id,
    string TenantId,
    string Status,
    string Model,
    int? Version,
    string? RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    byte[]? Response,
    string? Reason,
    string? Detail,
    bool Enqueued)
{
    public bool IsDone => Status != PredictionStates.Pending;

    public PredictionView ToView() => new(
        Id, Status, Model, Version, RequestId, CreatedAt, CompletedAt,
        Response is null ? null : JsonDocument.Parse(Response).RootElement.Clone(), Reason, Detail);

    /// <summary>The result event of a finished prediction, as it was (or would have been) published.</summary>
    public object ToResultEvent() => Status == PredictionStates.Completed
        ? new PredictionCompleted(Id, RequestId, TenantId, Model, Version ?? 0, JsonDocument.Parse(Response ?? "{}"u8.ToArray()).RootElement.Clone(), CompletedAt ?? CreatedAt)
        : new PredictionFailed(Id, RequestId, TenantId, Model, Version, Reason ?? PredictionFailureReasons.ModelError, Detail ?? "", CompletedAt ?? CreatedAt);
}
