using System.Runtime.InteropServices;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>An ONNX TensorProto in memory: elements as little-endian bytes, or strings.</summary>
public sealed class TensorProto
{
    private TensorProto(string name, TensorElementType type, long[] dims, byte[] rawData, string[] strings)
    {
        Name = name;
        ElementType = type;
        Dims = dims;
        RawData = rawData;
        Strings = strings;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Dims { get; }

    public long ElementCount => ElementTypes.ElementCount(Dims.ToArray());

    /// <summary>Elements as little-endian bytes; empty for strings.</summary>
    public byte[] RawData { get; }

    /// <summary>Elements of a string tensor; empty otherwise.</summary>
    public IReadOnlyList<string> Strings { get; }

    public static TensorProto FromSpan<T>(string name, ReadOnlySpan<T> values, params ReadOnlySpan<long> dims)
        where T : unmanaged => FromBytes(name, ElementTypes.Of<T>(), MemoryMarshal.AsBytes(values).ToArray(), dims);

    public static TensorProto FromBytes(string name, TensorElementType type, byte[] rawData, params ReadOnlySpan<long> dims)
    {
        ArgumentNullException.ThrowIfNull(rawData);
        if (type == TensorElementType.String || ElementTypes.SizeOf(type) == 0)
        {
            throw new NotSupportedException($"Element type {ElementTypes.Name(type)} has no raw byte form here.");
        }
        var expected = ElementTypes.ElementCount(dims) * ElementTypes.SizeOf(type);
        if (rawData.Length != expected)
        {
            throw new ArgumentException(
                $"Tensor '{name}' {ElementTypes.Name(type)} {ElementTypes.FormatShape(dims)} needs {expected} bytes, got {rawData.Length}.");
        }
        return new TensorProto(name, type, dims.ToArray(), rawData, []);
    }

    public static TensorProto FromStrings(string name, IReadOnlyList<string> values, params ReadOnlySpan<long> dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != ElementTypes.ElementCount(dims))
        {
            throw new ArgumentException($"Tensor '{name}' {ElementTypes.FormatShape(dims)} holds {ElementTypes.ElementCount(dims)} strings, got {values.Count}.");
        }
        return new TensorProto(name, TensorElementType.String, dims.ToArray(), [], values.ToArray());
    }

    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        if (ElementTypes.Of<T>() != ElementType)
        {
            throw new InvalidOperationException($"Tensor '{Name}' holds {ElementTypes.Name(ElementType)}, not {typeof(T).Name}.");
        }
        return MemoryMarshal.Cast<byte, T>(RawData);
    }

    public TensorProto WithName(string name) => new(name, ElementType, [.. Dims], RawData, [.. Strings]);

    public override string ToString() => $"'{Name}' {ElementTypes.Name(ElementType)} {ElementTypes.FormatShape(Dims.ToArray())}";
}
