namespace Orbit.Contracts.Wire;

/// <summary>Every Redis key more than one service reads or writes.</summary>
public static class RedisKeys
{
    /// <summary>
    /// A model's routing table, written by the registry: a hash whose <c>revision</c> field is the
    /// table's revision and whose <c>table</c> field is the <see cref="Models.DeploymentChanged"/> as JSON.
    /// </summary>
    public static string Routes(string tenantId, string modelName) => $"orbit:routes:{tenantId}:{modelName}";

    public const string RoutesPattern = "orbit:routes:*";

    public const string RoutesTableField = "table";

    /// <summary>A worker's last heartbeat (<see cref="Workers.WorkerHeartbeat"/> as JSON), expiring when the worker goes quiet.</summary>
    public static string Worker(string workerId) => $"orbit:workers:{workerId}";

    public const string WorkersPattern = "orbit:workers:*";

    /// <summary>A tenant's request-rate token bucket, shared by every gateway.</summary>
    public static string RateLimit(string tenantId) => $"orbit:ratelimit:{tenantId}";

    /// <summary>An asynchronous prediction: a hash of its state, request and, once done, its result; it expires with its result.</summary>
    public static string Prediction(string tenantId, string predictionId) => $"orbit:predictions:{tenantId}:{predictionId}";

    /// <summary>The prediction an idempotency key (or request id) of a tenant already created.</summary>
    public static string PredictionKey(string tenantId, string keyHash) => $"orbit:prediction-keys:{tenantId}:{keyHash}";
}
