using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Orbit.Onnx.Native;

namespace Orbit.Onnx.Tensors;

/// <summary>
/// A tensor ONNX Runtime can read or write: an OrtValue over pinned managed memory, a pooled array,
/// or memory ORT allocated. Dispose it to release the value (and unpin or return its memory).
/// </summary>
public sealed unsafe class OnnxTensor : IDisposable
{
    private readonly long[] _shape;
    private readonly nint _data;

    private OnnxTensor(OrtValueHandle handle, TensorElementType type, long[] shape, nint data)
    {
        Handle = handle;
        ElementType = type;
        _shape = shape;
        _data = data;
        ElementCount = ElementTypes.ElementCount(shape);
    }

    internal OrtValueHandle Handle { get; }

    public TensorElementType ElementType { get; }

    public ReadOnlySpan<long> Shape => _shape;

    public long ElementCount { get; }

    public bool IsDisposed => Handle.IsClosed;

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
        var count = ElementTypes.ElementCount(shape);
        var allocator = OrtEnvironment.DefaultAllocator;
        var handle = new OrtValueHandle();
        nint value;
        fixed (long* dims = shape)
        {
            OrtStatus.Check(OrtApi.CreateTensorAsOrtValue(allocator, dims, (nuint)shape.Length, (int)type, &value));
        }
        handle.Adopt(value);
        nint data = 0;
        if (type != TensorElementType.String)
        {
            void* pointer;
            OrtStatus.Check(OrtApi.GetTensorMutableData(value, &pointer));
            data = (nint)pointer;
            NativeMemory.Clear(pointer, (nuint)(count * ElementTypes.SizeOf(type)));
        }
        return new OnnxTensor(handle, type, shape.ToArray(), data);
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
        if (values.Count == 0)
        {
            return tensor;
        }
        // FillStringTensor wants an array of NUL-terminated strings: one native block holds them all.
        var total = 0;
        foreach (var value in values)
        {
            total += Encoding.UTF8.GetByteCount(value) + 1;
        }
        var block = (byte*)NativeMemory.Alloc((nuint)total);
        var pointers = (byte**)NativeMemory.Alloc((nuint)(values.Count * sizeof(nint)));
        try
        {
            var offset = 0;
            for (var i = 0; i < values.Count; i++)
            {
                pointers[i] = block + offset;
                offset += Encoding.UTF8.GetBytes(values[i], new Span<byte>(block + offset, total - offset));
                block[offset++] = 0;
            }
            OrtStatus.Check(OrtApi.FillStringTensor(tensor.Handle.Pointer, pointers, (nuint)values.Count));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        finally
        {
            NativeMemory.Free(pointers);
            NativeMemory.Free(block);
        }
    }

    /// <summary>Takes ownership of an OrtValue that ORT created (a Run output) whose element type the session declared.</summary>
    internal static OnnxTensor Adopt(nint value, TensorElementType type)
    {
        var handle = new OrtValueHandle();
        handle.Adopt(value);
        try
        {
            // The shape is read in place, without the info object GetTensorTypeAndShape would allocate per output.
            int elementType;
            long* dims;
            nuint rank;
            OrtStatus.Check(OrtApi.GetTensorElementTypeAndShapeDataReference(value, &elementType, &dims, &rank));
            long[] shape = rank == 0 ? [] : new ReadOnlySpan<long>(dims, (int)rank).ToArray();
            void* data = null;
            if (type != TensorElementType.String)
            {
                OrtStatus.Check(OrtApi.GetTensorMutableData(value, &data));
            }
            return new OnnxTensor(handle, type, shape, (nint)data);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static OnnxTensor Wrap<T>(Memory<T> data, ReadOnlySpan<long> shape, Action? afterRelease)
        where T : unmanaged
    {
        var type = ElementTypes.Of<T>();
        var count = ElementTypes.ElementCount(shape);
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
        var pin = data.Pin();
        var handle = new PinnedOrtValueHandle(pin, afterRelease);
        nint value;
        nint status;
        fixed (long* dims = shape)
        {
            status = OrtApi.CreateTensorWithDataAsOrtValue(
                OrtEnvironment.CpuMemory.Pointer, pin.Pointer, (nuint)(count * sizeof(T)), dims, (nuint)shape.Length, (int)type, &value);
        }
        if (status != 0)
        {
            // Nothing adopted: the handle will not release, so the pin goes here.
            GC.SuppressFinalize(handle);
            pin.Dispose();
            throw OrtStatus.ToException(status);
        }
        handle.Adopt(value);
        return new OnnxTensor(handle, type, shape.ToArray(), (nint)pin.Pointer);
    }

    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (ElementTypes.Of<T>() != ElementType)
        {
            throw new InvalidOperationException($"This tensor holds {ElementTypes.Name(ElementType)}, not {typeof(T).Name}.");
        }
        return new Span<T>((void*)_data, checked((int)ElementCount));
    }

    /// <summary>The elements as little-endian bytes (not for string tensors).</summary>
    public ReadOnlySpan<byte> AsBytes()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
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
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (ElementType != TensorElementType.String)
        {
            throw new InvalidOperationException($"This tensor holds {ElementTypes.Name(ElementType)}, not strings.");
        }
        var count = checked((int)ElementCount);
        if (count == 0)
        {
            return [];
        }
        nuint length;
        OrtStatus.Check(OrtApi.GetStringTensorDataLength(Handle.Pointer, &length));
        var bytes = new byte[(int)length];
        var offsets = new nuint[count];
        fixed (byte* content = bytes)
        fixed (nuint* starts = offsets)
        {
            OrtStatus.Check(OrtApi.GetStringTensorContent(Handle.Pointer, content, length, starts, (nuint)count));
        }
        var strings = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)offsets[i];
            var end = i + 1 < count ? (int)offsets[i + 1] : bytes.Length;
            strings[i] = Encoding.UTF8.GetString(bytes, start, end - start);
        }
        return strings;
    }

    public override string ToString() => $"{ElementTypes.Name(ElementType)} {ElementTypes.FormatShape(_shape)}";

    public void Dispose() => Handle.Dispose();
}
