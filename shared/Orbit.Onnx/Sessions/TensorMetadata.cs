using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Sessions;

/// <summary>What kind of value an input or output is (ONNXType).</summary>
public enum ValueKind
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}

/// <summary>One dimension: a fixed size, a named (symbolic) size, or unknown.</summary>
public readonly record struct Dimension(long Size, string? Name)
{
    public static Dimension Fixed(long size) => new(size, null);

    public static Dimension Symbolic(string name) => new(-1, name);

    public static implicit operator Dimension(long size) => Fixed(size);

    public bool IsFixed => Size >= 0;

    public override string ToString() => IsFixed
        ? Size.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : string.IsNullOrEmpty(Name) ? "?" : Name;
}

/// <summary>An input or output of a session.</summary>
public sealed record TensorMetadata(string Name, ValueKind Kind, TensorElementType ElementType, IReadOnlyList<Dimension> Dimensions)
{
    public override string ToString() => Kind == ValueKind.Tensor
        ? $"{ElementTypes.Name(ElementType)} [{string.Join(",", Dimensions)}]"
        : Kind.ToString().ToLowerInvariant();
}
