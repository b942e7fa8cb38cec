namespace Orbit.Contracts.Inference;

/// <summary>
/// Several <see cref="InferenceRequested"/> for one model, coalesced by a gateway while earlier
/// messages for that model are still in flight: under load the bus then costs per batch, not per
/// request. Each request keeps its own version, deadline and answer.
/// </summary>
public sealed record InferenceBatchRequested(string TenantId, string ModelName, IReadOnlyList<InferenceRequested> Requests);
