using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Orbit.Onnx.Native;

/// <summary>Routes ORT's log lines (CreateEnvWithCustomLogger) into the configured ILogger.</summary>
internal static unsafe partial class OrtLogging
{
    [UnmanagedCallersOnly]
    public static void Log(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        // An exception must never unwind into native code.
        try
        {
            var logger = OnnxRuntime.Logger;
            var level = severity switch
            {
                0 => LogLevel.Debug,
                1 => LogLevel.Information,
                2 => LogLevel.Warning,
                3 => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (!logger.IsEnabled(level))
            {
                return;
            }
            OrtMessage(
                logger,
                level,
                Marshal.PtrToStringUTF8((nint)category) ?? "",
                Marshal.PtrToStringUTF8((nint)codeLocation) ?? "",
                Marshal.PtrToStringUTF8((nint)message) ?? "");
        }
        catch
        {
        }
    }

    [LoggerMessage(EventId = 7100, Message = "onnxruntime [{Category}] {Message} ({CodeLocation})")]
    private static partial void OrtMessage(ILogger logger, LogLevel level, string category, string codeLocation, string message);
}
