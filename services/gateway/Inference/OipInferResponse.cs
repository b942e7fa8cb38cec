using Orbit.Contracts.Inference;
using Orbit.Gateway.Fleet;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Inference;

/// <summary>
/// A worker's answer as an OIP v2 infer response, written straight to the response body. The worker
/// is named as the caller's tenant knows it (<see cref="TenantFleetView.Alias"/>); only the operator's
/// tenant sees its instance id. Outputs the client asked for as binary data follow the JSON as raw bytes.
/// </summary>
internal sealed class OipInferResponse(string model, InferenceCompleted completed, string? id, Caller caller, BinaryOutputs? binaryOutputs = null)
    : IResult, IStatusCodeHttpResult, IModelVersionResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public int? Version => completed.ModelVersion;

    public Task ExecuteAsync(HttpContext context) => OipResponseWriter.WriteAsync(context.Response, model,
        caller.IsPlatform ? completed : completed with { WorkerId = TenantFleetView.Alias(caller.TenantId, completed.WorkerId) }, id, binaryOutputs);
}
