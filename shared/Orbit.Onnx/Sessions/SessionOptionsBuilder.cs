using System.Text;
using Microsoft.Extensions.Logging;
using Orbit.Onnx.Native;

namespace Orbit.Onnx.Sessions;

/// <summary>Turns <see cref="SessionOptions"/> into native session options, appending the first provider that starts.</summary>
internal static unsafe partial class SessionOptionsBuilder
{
    private static readonly HashSet<string> LoggedFallbacks = [];

    public static (OrtSessionOptionsHandle Handle, string Provider) Build(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var providers = options.ExecutionProviders.Select(ExecutionProvider.Parse).ToArray();
        if (providers.Length == 0)
        {
            throw new ArgumentException("At least one execution provider is needed (e.g. cpu).", nameof(options));
        }
        var handle = Create(options);
        try
        {
            var failures = new List<string>();
            foreach (var provider in providers)
            {
                var failure = provider.Kind == ExecutionProvider.Cpu ? null : TryAppend(handle, provider);
                if (failure is null)
                {
                    if (failures.Count > 0)
                    {
                        LogFallbackOnce(string.Join("; ", failures), provider.ToString());
                    }
                    return (handle, provider.ToString());
                }
                failures.Add($"{provider}: {failure}");
            }
            throw new OnnxRuntimeException(OrtErrorCode.EpFail, "No execution provider could start: " + string.Join("; ", failures));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether a provider starts on this machine (the append status is the only reliable signal).</summary>
    public static bool IsAvailable(string provider)
    {
        var parsed = ExecutionProvider.Parse(provider);
        if (parsed.Kind == ExecutionProvider.Cpu)
        {
            return true;
        }
        using var handle = Create(new SessionOptions());
        return TryAppend(handle, parsed) is null;
    }

    private static OrtSessionOptionsHandle Create(SessionOptions options)
    {
        OrtEnvironment.EnsureCreated();
        var handle = new OrtSessionOptionsHandle();
        nint pointer;
        OrtStatus.Check(OrtApi.CreateSessionOptions(&pointer));
        handle.Adopt(pointer);
        OrtStatus.Check(OrtApi.SetSessionGraphOptimizationLevel(pointer, (int)options.OptimizationLevel));
        OrtStatus.Check(OrtApi.SetIntraOpNumThreads(pointer, options.IntraOpThreads));
        OrtStatus.Check(OrtApi.SetInterOpNumThreads(pointer, options.InterOpThreads));
        OrtStatus.Check(OrtApi.SetSessionExecutionMode(pointer, (int)options.ExecutionMode));
        return handle;
    }

    /// <returns>null when the provider was appended, else ORT's reason.</returns>
    private static string? TryAppend(OrtSessionOptionsHandle options, ExecutionProvider provider)
    {
        using var cuda = new OrtCudaProviderOptionsHandle();
        nint pointer;
        var status = OrtApi.CreateCUDAProviderOptions(&pointer);
        if (status != 0)
        {
            return OrtStatus.ToException(status).OrtMessage;
        }
        cuda.Adopt(pointer);
        var key = "device_id\0"u8;
        var value = Encoding.UTF8.GetBytes(provider.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0");
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            status = OrtApi.UpdateCUDAProviderOptions(pointer, &k, &v, 1);
        }
        if (status == 0)
        {
            status = OrtApi.SessionOptionsAppendExecutionProvider_CUDA_V2(options.Pointer, pointer);
        }
        return status == 0 ? null : OrtStatus.ToException(status).OrtMessage;
    }

    private static void LogFallbackOnce(string reasons, string chosen)
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

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Execution provider unavailable ({Reasons}); running on {Chosen}")]
    private static partial void ProviderFallback(ILogger logger, string reasons, string chosen);
}
