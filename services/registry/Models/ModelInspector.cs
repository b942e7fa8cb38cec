using Orbit.Contracts.Registry;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Registry.Models;

/// <summary>Opens a file with ONNX Runtime: if ORT cannot load it, it is not a model we can serve.</summary>
internal interface IModelInspector
{
    /// <summary>The model's signature, or ORT's message when it cannot load the file.</summary>
    (ModelSignature? Signature, string? Error) Inspect(string path, Orbit.Onnx.Sessions.SessionOptions options);
}

internal sealed class ModelInspector : IModelInspector
{
    public (ModelSignature? Signature, string? Error) Inspect(string path, Orbit.Onnx.Sessions.SessionOptions options)
    {
        try
        {
            using var session = OnnxSession.FromFile(path, options);
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
