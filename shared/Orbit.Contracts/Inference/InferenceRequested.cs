namespace Orbit.Contracts.Inference;

/// <summary>
/// A request to run one model on a set of inputs. Sent to queue <c>infer.{tenant}.{model}</c> by the
/// gateway (request/response), or published by any upstream system for asynchronous prediction.
/// A worker that takes it after <see cref="Deadline"/> drops it instead of running it.
/// </summary>
public sealed record InferenceRequested(
    string RequestId,
    string TenantId,
    string ModelName,
    int? ModelVersion,
    IReadOnlyList<InferenceTensor> Inputs,
    DateTimeOffset Deadline,
    IReadOnlyList<string>? RequestedOutputs = null,
    int Priority = InferencePriority.RealTime,
    string? RoutingKey = null,
    IReadOnlyDictionary<string, string>? Parameters = null);
