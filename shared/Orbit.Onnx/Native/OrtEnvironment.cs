using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Orbit.Onnx.Native;

/// <summary>The one OrtEnv of the process, plus the CPU memory info and allocator every tensor uses.</summary>
internal static unsafe class OrtEnvironment
{
    private static readonly Lock Gate = new();
    private static OrtEnvHandle? s_env;
    private static OrtMemoryInfoHandle? s_cpuMemory;
    private static nint s_allocator;

    public static OrtEnvHandle Env => s_env ?? Create().Env;

    public static OrtMemoryInfoHandle CpuMemory => s_cpuMemory ?? Create().CpuMemory;

    public static nint DefaultAllocator => s_allocator != 0 ? s_allocator : Create().Allocator;

    public static void EnsureCreated() => _ = Env;

    private static (OrtEnvHandle Env, OrtMemoryInfoHandle CpuMemory, nint Allocator) Create()
    {
        lock (Gate)
        {
            if (s_env is null)
            {
                _ = OrtLibrary.Table;
                var level = ToOrtLevel(OnnxRuntime.Options.LogLevel);
                var env = new OrtEnvHandle();
                var memory = new OrtMemoryInfoHandle();
                nint pointer;
                fixed (byte* logId = "orbit"u8)
                {
                    OrtStatus.Check(OrtApi.CreateEnvWithCustomLogger(
                        (nint)(delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>)&OrtLogging.Log,
                        0, level, logId, &pointer));
                }
                env.Adopt(pointer);
                // Arena allocator and default memory type: the same CPU memory info ORT's own C# binding uses.
                OrtStatus.Check(OrtApi.CreateCpuMemoryInfo(1, 0, &pointer));
                memory.Adopt(pointer);
                OrtStatus.Check(OrtApi.GetAllocatorWithDefaultOptions(&pointer));
                s_allocator = pointer;
                s_cpuMemory = memory;
                s_env = env;
            }
            return (s_env, s_cpuMemory!, s_allocator);
        }
    }

    private static int ToOrtLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => 0,
        LogLevel.Debug => 0,
        LogLevel.Information => 1,
        LogLevel.Warning => 2,
        LogLevel.Error => 3,
        _ => 4,
    };

    /// <summary>Copies a UTF-8 string ORT allocated with its default allocator, then frees it.</summary>
    public static string TakeAllocatedString(byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)value) ?? "";
        }
        finally
        {
            OrtStatus.Check(OrtApi.AllocatorFree(DefaultAllocator, value));
        }
    }
}
