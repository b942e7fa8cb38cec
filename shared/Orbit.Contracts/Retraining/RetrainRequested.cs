using System.Text.Json.Serialization;

namespace Orbit.Contracts.Retraining;

/// <summary>A command to the retrainer: build a new version of a model from its served features and outcomes.</summary>
public sealed record RetrainRequested(
    string TenantId,
    string ModelName,
    RetrainTrigger Trigger,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? Detail = null);

[JsonConverter(typeof(JsonStringEnumConverter<RetrainTrigger>))]
public enum RetrainTrigger
{
    Manual,
    Schedule,
    Drift,
    AccuracyDegraded,
}
