using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Orbit.Onnx.Sessions;

/// <summary>NUL-terminated UTF-8 names and the pointer array Run takes, on the pinned heap for the session's life.</summary>
internal sealed unsafe class NativeNames
{
    private readonly byte[] _bytes;
    private readonly nint[] _pointers;

    public NativeNames(IEnumerable<string> names)
    {
        var list = names.ToArray();
        _bytes = GC.AllocateUninitializedArray<byte>(list.Sum(n => Encoding.UTF8.GetByteCount(n) + 1), pinned: true);
        _pointers = GC.AllocateArray<nint>(Math.Max(list.Length, 1), pinned: true);
        var offset = 0;
        for (var i = 0; i < list.Length; i++)
        {
            _pointers[i] = (nint)Unsafe.AsPointer(ref _bytes[offset]);
            offset += Encoding.UTF8.GetBytes(list[i], _bytes.AsSpan(offset));
            _bytes[offset++] = 0;
        }
    }

    public nint* Pointers => (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pointers));
}
