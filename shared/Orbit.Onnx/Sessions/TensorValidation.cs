using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Sessions;

/// <summary>Checks tensors against session metadata before Run, so mistakes surface as clear managed errors.</summary>
internal static class TensorValidation
{
    public static void Check(ReadOnlySpan<OnnxTensor> tensors, TensorMetadata[] expected, string role)
    {
        if (tensors.Length != expected.Length)
        {
            throw new ArgumentException(
                $"The model takes {expected.Length} {role}s ({string.Join(", ", expected.Select(e => $"'{e.Name}'"))}), got {tensors.Length}.");
        }
        for (var i = 0; i < tensors.Length; i++)
        {
            Check(tensors[i], expected[i], role);
        }
    }

    public static void Check(OnnxTensor? tensor, TensorMetadata expected, string role)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(expected.Name, $"{Capitalized(role)} '{expected.Name}' is null; expected {expected}.");
        }
        if (tensor.IsDisposed)
        {
            throw new ObjectDisposedException(expected.Name, $"{Capitalized(role)} '{expected.Name}' was already disposed.");
        }
        if (expected.Kind != ValueKind.Tensor)
        {
            throw new NotSupportedException(
                $"{Capitalized(role)} '{expected.Name}' is a {expected.Kind.ToString().ToLowerInvariant()}; Orbit.Onnx passes tensors only.");
        }
        if (tensor.ElementType != expected.ElementType || !ShapeFits(tensor.Shape, expected.Dimensions))
        {
            throw new ArgumentException($"{Capitalized(role)} '{expected.Name}' expects {expected} but got {tensor}.", expected.Name);
        }
    }

    private static bool ShapeFits(ReadOnlySpan<long> shape, IReadOnlyList<Dimension> dims)
    {
        if (shape.Length != dims.Count)
        {
            return false;
        }
        for (var d = 0; d < shape.Length; d++)
        {
            if (dims[d].IsFixed && dims[d].Size != shape[d])
            {
                return false;
            }
        }
        return true;
    }

    private static string Capitalized(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
