using Orbit.Contracts.Registry;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Registry.Models;

/// <summary>Opens an uploaded file with ONNX Runtime: if ORT cannot load it, it is not a model we can serve.</summary>
internal static class ModelInspector
{
    private static readonly Orbit.Onnx.Sessions.SessionOptions Options = new()
    {
        // Loading is the check; optimizing the graph would only cost time here.
        OptimizationLevel = GraphOptimizationLevel.None,
        IntraOpThreads = 1,
        ExecutionProviders = ["cpu"],
    };

    /// <summary>The model's signature, or ORT's message when it cannot load the file.</summary>
    public static (ModelSignature? Signature, string? Error) Inspect(string path)
    {
        try
        {
            using var session = OnnxSession.FromFile(path, Options);
            return (new ModelSignature(session.Inputs.Select(Describe).ToList(), session.Outputs.Select(Describe).ToList(), session.ExecutionProvider), null);
        }
        catch (OnnxRuntimeException ex)
        {
            return (null, ex.OrtMessage);
        }
    }

    private static SignatureTensor Describe(TensorMetadata tensor) => new(
        tensor.Name,
        tensor.Kind == ValueKind.Tensor ? ElementTypes.Name(tensor.ElementType) : tensor.Kind.ToString().ToLowerInvariant(),
        tensor.Dimensions.Select(d => d.ToString()).ToList());
}
