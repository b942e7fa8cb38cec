using Microsoft.Extensions.Logging;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Sessions;

/// <summary>Orbit's <see cref="SessionOptions"/> as the official binding's session options for one provider.</summary>
internal static partial class SessionOptionsBuilder
{
    private static readonly HashSet<string> LoggedFallbacks = [];

    public static ExecutionProvider[] Providers(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = options.ExecutionProviders.Select(ExecutionProvider.Parse).ToArray();
        if (providers.Length == 0)
        {
            throw new ArgumentException("At least one execution provider is needed (e.g. cpu).", nameof(options));
        }
        return providers;
    }

    /// <summary>Options with <paramref name="provider"/> appended; throws ORT's error when the provider cannot start.</summary>
    public static Ort.SessionOptions Create(SessionOptions options, ExecutionProvider provider)
    {
        OnnxRuntime.EnsureStarted();
        var native = new Ort.SessionOptions
        {
            GraphOptimizationLevel = (Ort.GraphOptimizationLevel)options.OptimizationLevel,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = (Ort.ExecutionMode)options.ExecutionMode,
        };
        try
        {
            if (provider.Kind == ExecutionProvider.Cuda)
            {
                using var cuda = new Ort.OrtCUDAProviderOptions();
                cuda.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = provider.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                native.AppendExecutionProvider_CUDA(cuda);
            }
            return native;
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    /// <summary>ORT's reason a provider cannot start, without the "[ErrorCode:…]" prefix; null for errors that are not about the provider.</summary>
    public static string? ProviderFailure(Exception error) => error switch
    {
        Ort.OnnxRuntimeException ort => OnnxRuntimeException.From(ort).OrtMessage,
        // The CPU-only native library has no CUDA entry points at all.
        EntryPointNotFoundException or DllNotFoundException => error.Message,
        _ => null,
    };

    /// <summary>Whether a provider starts on this machine (appending it is the only reliable signal).</summary>
    public static bool IsAvailable(string provider)
    {
        var parsed = ExecutionProvider.Parse(provider);
        try
        {
            using var options = Create(new SessionOptions(), parsed);
            return true;
        }
        catch (Exception e) when (ProviderFailure(e) is not null)
        {
            return false;
        }
    }

    public static void LogFallbackOnce(string reasons, string chosen)
    {
        lock (LoggedFallbacks)
        {
            if (!LoggedFallbacks.Add(reasons + "->" + chosen))
            {
                return;
            }
        }
        ProviderFallback(OnnxRuntime.Logger, reasons, chosen);
    }

    [LoggerMessage(EventId = OnnxLogEvents.ProviderFallback, Level = LogLevel.Warning, Message = "Execution provider unavailable ({Reasons}); running on {Chosen}")]
    private static partial void ProviderFallback(ILogger logger, string reasons, string chosen);
}
