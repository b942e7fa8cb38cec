using Orbit.Onnx.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Sessions;

/// <summary>The official binding's node metadata as Orbit's <see cref="TensorMetadata"/>, in the session's order.</summary>
internal static class SessionMetadata
{
    public static TensorMetadata[] Describe(string[] names, IReadOnlyDictionary<string, Ort.NodeMetadata> metadata) =>
        names.Select(name => Describe(name, metadata[name])).ToArray();

    private static TensorMetadata Describe(string name, Ort.NodeMetadata node)
    {
        var kind = (ValueKind)node.OnnxValueType;
        if (kind is not ValueKind.Tensor and not ValueKind.SparseTensor)
        {
            return new TensorMetadata(name, kind, TensorElementType.Undefined, []);
        }
        var sizes = node.Dimensions;
        var symbols = node.SymbolicDimensions;
        var dims = new Dimension[sizes.Length];
        for (var d = 0; d < dims.Length; d++)
        {
            var symbol = d < symbols.Length ? symbols[d] : null;
            dims[d] = new Dimension(sizes[d], string.IsNullOrEmpty(symbol) ? null : symbol);
        }
        return new TensorMetadata(name, kind, (TensorElementType)node.ElementDataType, dims);
    }
}
