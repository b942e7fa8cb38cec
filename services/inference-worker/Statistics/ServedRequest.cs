using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tensors;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// A request the worker answered with outputs, waiting to be summarised and perhaps logged. <see cref="Inputs"/> are
/// the buffers the worker decoded for ONNX Runtime, which the statistics read instead of the request's tensors.
/// </summary>
internal sealed record ServedRequest(InferenceRequested Request, int Version, IReadOnlyList<DecodedTensor> Inputs, IReadOnlyList<InferenceTensor> Outputs, DateTimeOffset At)
{
    /// <summary>The id a prediction is logged (and outcomes joined) under: the client's id when the gateway passed it, else the request's.</summary>
    public string LoggedId => Request.Parameters?.GetValueOrDefault(ParameterNames.RequestId) is { Length: > 0 } id ? id : Request.RequestId;

    public bool AsksToBeLogged => Request.Parameters?.GetValueOrDefault(ParameterNames.LogPrediction) is { } value
        && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}

/// <summary>The <see cref="InferenceRequested.Parameters"/> the worker reads (the gateway sets them from the OIP request's <c>parameters</c>).</summary>
internal static class ParameterNames
{
    public const string LogPrediction = "log_prediction";
    public const string RequestId = "request_id";
}
