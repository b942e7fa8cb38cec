using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Inference;

/// <summary>A worker's answer as an OIP v2 infer response, written straight to the response body.</summary>
internal sealed class OipInferResponse(string model, InferenceCompleted completed, string? id) : IResult, IStatusCodeHttpResult, IModelVersionResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public int? Version => completed.ModelVersion;

    public Task ExecuteAsync(HttpContext context) => OipResponseWriter.WriteAsync(context.Response, model, completed, id);
}
