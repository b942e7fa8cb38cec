using Orbit.Contracts.Registry;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Registry.Models;

/// <summary>Opens a file with ONNX Runtime: if ORT cannot load it, it is not a model we can serve.</summary>
internal interface IModelInspector
{
    /// <summary>
    /// The model's signature, or why it cannot be served. Cancelling stops the load where the inspector can
    /// (<see cref="IsolatedModelInspector"/> kills its process); it then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ModelInspection> InspectAsync(string path, Orbit.Onnx.Sessions.SessionOptions options, CancellationToken cancellationToken);
}

/// <summary>A model's signature when ORT loaded it, else ORT's message (or how the load died).</summary>
internal sealed record ModelInspection(ModelSignature? Signature, string? Error);

/// <summary>Loads the model in this process: what the check process runs (<see cref="ModelInspectionChild"/>).</summary>
internal static class InProcessInspection
{
    public static ModelInspection Inspect(string path, Orbit.Onnx.Sessions.SessionOptions options)
    {
        try
        {
            using var session = OnnxSession.FromFile(path, options);
            return new ModelInspection(new ModelSignature(session.Inputs.Select(Describe).ToList(), session.Outputs.Select(Describe).ToList(), session.ExecutionProvider), null);
        }
        catch (OnnxRuntimeException ex)
        {
            return new ModelInspection(null, ex.OrtMessage);
        }
    }

    private static SignatureTensor Describe(TensorMetadata tensor) => new(
        tensor.Name,
        tensor.Kind == ValueKind.Tensor ? ElementTypes.Name(tensor.ElementType) : tensor.Kind.ToString().ToLowerInvariant(),
        tensor.Dimensions.Select(d => d.ToString()).ToList());
}
