using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Tensors;

/// <summary>
/// A tensor ONNX Runtime can read or write: an official <see cref="Ort.OrtValue"/> over pinned managed memory, a
/// pooled array, or memory ORT allocated. Dispose it to release the value (and unpin or return its memory).
/// </summary>
public sealed unsafe class OnnxTensor : IDisposable
{
    private readonly long[] _shape;
    private readonly nint _data;
    private MemoryHandle _pin;
    private Action? _afterRelease;
    private int _disposed;

    private OnnxTensor(Ort.OrtValue value, TensorElementType type, long[] shape, nint data, MemoryHandle pin = default, Action? afterRelease = null)
    {
        Value = value;
        ElementType = type;
        _shape = shape;
        _data = data;
        _pin = pin;
        _afterRelease = afterRelease;
        ElementCount = ElementTypes.ElementCount(shape);
    }

    /// <summary>The official binding's value, for Run, IOBinding or anything else of ORT's managed API.</summary>
    public Ort.OrtValue Value { get; }

    public TensorElementType ElementType { get; }

    public ReadOnlySpan<long> Shape => _shape;

    public long ElementCount { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Zero-copy: ORT reads and writes <paramref name="data"/> directly; it stays pinned until disposal.</summary>
    public static OnnxTensor FromArray<T>(T[] data, params ReadOnlySpan<long> shape)
        where T : unmanaged => FromMemory(data.AsMemory(), shape);

    /// <summary>Zero-copy over any memory (arrays, pooled arrays, memory managers); pinned until disposal.</summary>
    public static OnnxTensor FromMemory<T>(Memory<T> data, params ReadOnlySpan<long> shape)
        where T : unmanaged => Wrap(data, shape, afterRelease: null);

    /// <summary>A tensor over an array rented from <see cref="ArrayPool{T}.Shared"/>, returned on disposal. Contents are not cleared.</summary>
    public static OnnxTensor Rent<T>(params ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var count = checked((int)ElementTypes.ElementCount(shape));
        var array = ArrayPool<T>.Shared.Rent(count);
        try
        {
            return Wrap(array.AsMemory(0, count), shape, () => ArrayPool<T>.Shared.Return(array));
        }
        catch
        {
            ArrayPool<T>.Shared.Return(array);
            throw;
        }
    }

    /// <summary>A zero-filled tensor in memory ORT allocates and frees.</summary>
    public static OnnxTensor Allocate<T>(params ReadOnlySpan<long> shape)
        where T : unmanaged => Allocate(ElementTypes.Of<T>(), shape);

    public static OnnxTensor Allocate(TensorElementType type, params ReadOnlySpan<long> shape)
    {
        if (!ElementTypes.IsSupported(type))
        {
            throw new NotSupportedException($"Element type {ElementTypes.Name(type)} is not supported.");
        }
        var dims = shape.ToArray();
        ElementTypes.ElementCount(dims);
        OnnxRuntime.EnsureStarted();
        Ort.OrtValue value;
        try
        {
            value = type == TensorElementType.String
                ? Ort.OrtValue.CreateTensorWithEmptyStrings(Ort.OrtAllocator.DefaultInstance, dims)
                : Ort.OrtValue.CreateAllocatedTensorValue(Ort.OrtAllocator.DefaultInstance, (Ort.Tensors.TensorElementType)type, dims);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
        nint data = 0;
        if (type != TensorElementType.String)
        {
            var bytes = value.GetTensorMutableRawData();
            bytes.Clear();
            data = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
        }
        return new OnnxTensor(value, type, dims, data);
    }

    /// <summary>A copy of little-endian element bytes into a tensor ORT owns.</summary>
    public static OnnxTensor FromBytes(TensorElementType type, ReadOnlySpan<byte> data, params ReadOnlySpan<long> shape)
    {
        var tensor = Allocate(type, shape);
        var expected = tensor.ElementCount * ElementTypes.SizeOf(type);
        if (data.Length != expected)
        {
            tensor.Dispose();
            throw new ArgumentException(
                $"{ElementTypes.Name(type)} {ElementTypes.FormatShape(shape)} needs {expected} bytes, got {data.Length}.", nameof(data));
        }
        data.CopyTo(new Span<byte>((void*)tensor._data, data.Length));
        return tensor;
    }

    public static OnnxTensor FromStrings(IReadOnlyList<string> values, params ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = Allocate(TensorElementType.String, shape);
        if (values.Count != tensor.ElementCount)
        {
            tensor.Dispose();
            throw new ArgumentException($"Shape {ElementTypes.FormatShape(shape)} holds {tensor.ElementCount} strings, got {values.Count}.", nameof(values));
        }
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                tensor.Value.StringTensorSetElementAt(values[i].AsSpan(), i);
            }
            return tensor;
        }
        catch (Ort.OnnxRuntimeException e)
        {
            tensor.Dispose();
            throw OnnxRuntimeException.From(e);
        }
    }

    /// <summary>Takes ownership of a tensor OrtValue that ORT created (a Run output).</summary>
    internal static OnnxTensor Adopt(Ort.OrtValue value)
    {
        try
        {
            var info = value.GetTensorTypeAndShape();
            var type = (TensorElementType)info.ElementDataType;
            nint data = 0;
            if (type != TensorElementType.String && info.ElementCount > 0)
            {
                data = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(value.GetTensorMutableRawData()));
            }
            return new OnnxTensor(value, type, info.Shape, data);
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private static OnnxTensor Wrap<T>(Memory<T> data, ReadOnlySpan<long> shape, Action? afterRelease)
        where T : unmanaged
    {
        var type = ElementTypes.Of<T>();
        var dims = shape.ToArray();
        var count = ElementTypes.ElementCount(dims);
        if (data.Length != count)
        {
            throw new ArgumentException(
                $"Shape {ElementTypes.FormatShape(shape)} holds {count} elements, the buffer has {data.Length}.", nameof(data));
        }
        if (count == 0)
        {
            // ORT rejects a null data pointer, and an empty buffer has nothing to pin.
            var empty = Allocate(type, shape);
            afterRelease?.Invoke();
            return empty;
        }
        OnnxRuntime.EnsureStarted();
        // Pinned here rather than by CreateTensorValueFromMemory<T>: that maps only ORT's own element structs,
        // and Orbit passes System.Half and its BFloat16 as well.
        var pin = data.Pin();
        try
        {
            var value = Ort.OrtValue.CreateTensorValueWithData(
                Ort.OrtMemoryInfo.DefaultInstance, (Ort.Tensors.TensorElementType)type, dims, (nint)pin.Pointer, count * sizeof(T));
            return new OnnxTensor(value, type, dims, (nint)pin.Pointer, pin, afterRelease);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            pin.Dispose();
            throw OnnxRuntimeException.From(e);
        }
    }

    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (ElementTypes.Of<T>() != ElementType)
        {
            throw new InvalidOperationException($"This tensor holds {ElementTypes.Name(ElementType)}, not {typeof(T).Name}.");
        }
        return new Span<T>((void*)_data, checked((int)ElementCount));
    }

    /// <summary>The elements as little-endian bytes (not for string tensors).</summary>
    public ReadOnlySpan<byte> AsBytes()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (ElementType == TensorElementType.String)
        {
            throw new InvalidOperationException("A string tensor has no flat byte view; use GetStrings().");
        }
        return new ReadOnlySpan<byte>((void*)_data, checked((int)(ElementCount * ElementTypes.SizeOf(ElementType))));
    }

    public T[] ToArray<T>()
        where T : unmanaged => AsSpan<T>().ToArray();

    public string[] GetStrings()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (ElementType != TensorElementType.String)
        {
            throw new InvalidOperationException($"This tensor holds {ElementTypes.Name(ElementType)}, not strings.");
        }
        return ElementCount == 0 ? [] : Value.GetStringTensorAsArray();
    }

    public override string ToString() => $"{ElementTypes.Name(ElementType)} {ElementTypes.FormatShape(_shape)}";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // The value goes first: ORT must not hold the memory when it is unpinned or returned to the pool.
        Value.Dispose();
        _pin.Dispose();
        _pin = default;
        Interlocked.Exchange(ref _afterRelease, null)?.Invoke();
    }
}
