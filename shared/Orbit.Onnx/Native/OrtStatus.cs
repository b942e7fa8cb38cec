using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Orbit.Onnx.Native;

/// <summary>The one door every OrtStatus* goes through.</summary>
internal static unsafe class OrtStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(nint status)
    {
        if (status != 0)
        {
            Throw(status);
        }
    }

    /// <summary>Takes ownership of a non-null status: reads it, releases it, and returns it as an exception.</summary>
    public static OnnxRuntimeException ToException(nint status)
    {
        try
        {
            var code = (OrtErrorCode)OrtApi.GetErrorCode(status);
            var message = Marshal.PtrToStringUTF8((nint)OrtApi.GetErrorMessage(status)) ?? "";
            return new OnnxRuntimeException(code, message);
        }
        finally
        {
            OrtApi.ReleaseStatus(status);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint status) => throw ToException(status);
}
