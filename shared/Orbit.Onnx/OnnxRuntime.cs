using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orbit.Onnx.Native;

namespace Orbit.Onnx;

/// <summary>The process-wide ONNX Runtime: library, environment and logging.</summary>
public static class OnnxRuntime
{
    private static OnnxRuntimeOptions s_options = new();

    internal static OnnxRuntimeOptions Options => Volatile.Read(ref s_options);

    internal static ILogger Logger => Options.Logger ?? NullLogger.Instance;

    /// <summary>
    /// Sets where the library is and where ORT logs go. Call before the first session; afterwards only
    /// the logger can still change (the library and ORT's log level are fixed when the environment starts).
    /// </summary>
    public static void Configure(OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref s_options, options);
    }

    /// <summary>Loads the library and creates the environment if that has not happened yet.</summary>
    public static void EnsureStarted() => OrtEnvironment.EnsureCreated();

    /// <summary>The file the runtime was (or would be) loaded from.</summary>
    public static string LibraryPath => OrtLibrary.Resolve(Options.LibraryPath);

    /// <summary>The ORT version string, e.g. "1.30.0".</summary>
    public static string Version
    {
        get
        {
            EnsureStarted();
            return OrtLibrary.Version;
        }
    }
}
