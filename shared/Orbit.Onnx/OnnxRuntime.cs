using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx;

/// <summary>The process-wide ONNX Runtime environment and where its log goes.</summary>
public static partial class OnnxRuntime
{
    private static readonly Lock StartLock = new();

    // ORT keeps calling this delegate for the life of the process: it must stay referenced.
    private static readonly Ort.DOrtLoggingFunction LogFunction = Forward;

    private static OnnxRuntimeOptions s_options = new();
    private static Ort.OrtEnv? s_env;

    internal static OnnxRuntimeOptions Options => Volatile.Read(ref s_options);

    internal static ILogger Logger => Options.Logger ?? NullLogger.Instance;

    /// <summary>
    /// Sets where ORT logs go. Call before the first session; afterwards only the logger can still
    /// change (ORT's log level is fixed when the environment starts).
    /// </summary>
    public static void Configure(OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref s_options, options);
    }

    /// <summary>Creates the environment, with ORT's log routed to the configured logger, if that has not happened yet.</summary>
    public static void EnsureStarted() => _ = Env;

    /// <summary>The ORT version string, e.g. "1.31.1".</summary>
    public static string Version => Env.GetVersionString();

    /// <summary>Providers this ONNX Runtime build holds (CPUExecutionProvider, CUDAExecutionProvider, …).</summary>
    public static IReadOnlyList<string> BuildProviders => Env.GetAvailableProviders();

    internal static Ort.OrtEnv Env
    {
        get
        {
            var env = Volatile.Read(ref s_env);
            return env ?? Start();
        }
    }

    private static Ort.OrtEnv Start()
    {
        lock (StartLock)
        {
            if (s_env is not null)
            {
                return s_env;
            }
            var options = new Ort.EnvironmentCreationOptions
            {
                logId = "orbit",
                logLevel = ToOrt(Options.LogLevel),
                loggingFunction = LogFunction,
            };
            try
            {
                s_env = Ort.OrtEnv.CreateInstanceWithOptions(ref options);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
            {
                throw new OnnxRuntimeNotFoundException(
                    $"ONNX Runtime's native library did not load ({e.Message}); it comes with the Microsoft.ML.OnnxRuntime package in the build output.", e);
            }
            return s_env;
        }
    }

    private static void Forward(nint param, Ort.OrtLoggingLevel severity, string category, string logId, string codeLocation, string message) =>
        OrtMessage(Logger, FromOrt(severity), category, message);

    private static Ort.OrtLoggingLevel ToOrt(LogLevel level) => level switch
    {
        <= LogLevel.Debug => Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        LogLevel.Information => Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        LogLevel.Warning => Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        LogLevel.Error => Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        _ => Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
    };

    private static LogLevel FromOrt(Ort.OrtLoggingLevel severity) => severity switch
    {
        Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Debug,
        Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Information,
        Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
        Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    [LoggerMessage(EventId = OnnxLogEvents.OrtMessage, Message = "ONNX Runtime [{Category}] {OrtMessage}")]
    private static partial void OrtMessage(ILogger logger, LogLevel level, string category, string ortMessage);
}
