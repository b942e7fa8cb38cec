using System.Text.Json;

namespace Orbit.Contracts.Predictions;

/// <summary>
/// <c>GET /v1/predictions/{id}</c> (and the body of the <c>202</c> that accepted it): its state, and
/// once done either the OIP v2 infer <see cref="Response"/> or the failure's reason and detail.
/// </summary>
public sealed record PredictionView(
    string Id,
    string Status,
    string Model,
    int? Version,
    string? RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt = null,
    JsonElement? Response = null,
    string? Reason = null,
    string? Detail = null);
