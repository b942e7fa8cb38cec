namespace Orbit.Contracts.Wire;

/// <summary>
/// Where asynchronous predictions travel on RabbitMQ. Outside publishers send plain-JSON
/// <see cref="Inference.InferenceRequested"/> to the exchange <see cref="Requests"/> (its queue of the
/// same name is consumed by the gateways; refused messages land in <see cref="RequestErrors"/>).
/// Accepted predictions wait on <see cref="Pending"/>; results are published to the topic exchange
/// <see cref="Results"/> with routing key <c>{tenant}.{model}</c>.
/// </summary>
public static class PredictionAddresses
{
    public const string Requests = "orbit.predictions.requests";

    public const string RequestErrors = Requests + "_error";

    public const string Pending = "orbit.predictions.pending";

    public const string Results = "orbit.predictions.results";

    public static string ResultRoutingKey(string tenantId, string modelName) => $"{tenantId}.{modelName}";
}
