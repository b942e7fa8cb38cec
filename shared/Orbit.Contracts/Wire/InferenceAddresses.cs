namespace Orbit.Contracts.Wire;

/// <summary>
/// Where inference requests travel. Each deployed model has an exchange and a queue of the same
/// name, <c>infer.{tenant}.{model}</c>, that every worker serving the model consumes (competing
/// consumers). Model names are per tenant, so the tenant is part of the name. Gateways' coalesced
/// groups (<see cref="Inference.InferenceBatchRequested"/>) have a queue of their own,
/// <c>infer.{tenant}.{model}.batch</c>: a message with no type header on the main queue, which any
/// language may publish, must reach exactly one consumer. Asynchronous predictions (priority below
/// real-time) travel on <c>infer.{tenant}.{model}.async</c> (and <c>.async.batch</c>), which workers
/// consume with a small prefetch, so queued asynchronous work never stands in front of real-time requests.
/// </summary>
public static class InferenceAddresses
{
    public const string Prefix = "infer.";

    public const string BatchSuffix = ".batch";

    public const string AsyncSuffix = ".async";

    public static string Queue(string tenantId, string modelName) => $"{Prefix}{tenantId}.{modelName}";

    public static string BatchQueue(string tenantId, string modelName) => Queue(tenantId, modelName) + BatchSuffix;

    public static string AsyncQueue(string tenantId, string modelName) => Queue(tenantId, modelName) + AsyncSuffix;

    /// <summary>The queue a request of this priority goes to: real-time, or the model's asynchronous queue below it.</summary>
    public static string QueueFor(string tenantId, string modelName, int priority) =>
        priority >= Inference.InferencePriority.RealTime ? Queue(tenantId, modelName) : AsyncQueue(tenantId, modelName);
}
