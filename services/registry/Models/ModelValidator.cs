using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Onnx.Sessions;

namespace Orbit.Registry.Models;

/// <summary>
/// Loads an upload the way a worker will (<see cref="ServingSessions"/>), a few at a time: a load
/// holds the model's memory and CPU, so uploads beyond the slots wait in a bounded queue and
/// beyond that are turned away (<see cref="ValidationVerdict.Busy"/>) rather than piling up. A load
/// past the time limit is refused; it keeps its slot until ORT returns, so hung loads cannot
/// multiply threads.
/// </summary>
internal sealed partial class ModelValidator
{
    private readonly IModelInspector _inspector;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelValidator> _logger;
    private readonly UploadValidationOptions _options;
    private readonly SemaphoreSlim _slots;
    private int _admitted;

    public ModelValidator(IModelInspector inspector, IOptions<UploadValidationOptions> options, TimeProvider time, ILogger<ModelValidator> logger)
    {
        _inspector = inspector;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
        SessionOptions = ServingSessions.Options(_options.Device, _options.IntraOpThreads);
    }

    /// <summary>What an upload is loaded with: the workers' serving settings.</summary>
    public Orbit.Onnx.Sessions.SessionOptions SessionOptions { get; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    public int RetryAfterSeconds => _options.RetryAfterSeconds;

    public async Task<ModelValidation> ValidateAsync(string path, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > _options.MaxConcurrent + _options.MaxQueued)
        {
            Interlocked.Decrement(ref _admitted);
            LogBusy(_logger, _options.MaxConcurrent, _options.MaxQueued);
            return new ModelValidation(ValidationVerdict.Busy, null, null);
        }

        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        var load = Task.Run(() => _inspector.Inspect(path, SessionOptions), CancellationToken.None);
        _ = load.ContinueWith(_ => Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            var (signature, error) = await load.WaitAsync(Timeout, _time, cancellationToken);
            return signature is null
                ? new ModelValidation(ValidationVerdict.Refused, null, error)
                : new ModelValidation(ValidationVerdict.Loaded, signature, null);
        }
        catch (TimeoutException)
        {
            LogTimedOut(_logger, _options.TimeoutSeconds);
            return new ModelValidation(ValidationVerdict.TimedOut, null, $"ONNX Runtime did not finish loading the model within {_options.TimeoutSeconds} s (Orbit:Registry:Validation:TimeoutSeconds)");
        }
    }

    private void Release()
    {
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    [LoggerMessage(EventId = RegistryLogEvents.ValidationBusy, Level = LogLevel.Warning, Message = "Upload refused: all {Slots} validation slots and {Queued} queue places are taken")]
    private static partial void LogBusy(ILogger logger, int slots, int queued);

    [LoggerMessage(EventId = RegistryLogEvents.ValidationTimedOut, Level = LogLevel.Warning, Message = "Upload refused: ONNX Runtime did not load it within {Seconds} s; its slot stays taken until the load returns")]
    private static partial void LogTimedOut(ILogger logger, int seconds);
}

internal enum ValidationVerdict
{
    Loaded,
    Refused,
    TimedOut,
    Busy,
}

/// <summary>What loading an upload said: its signature when it loaded, ORT's message when it did not.</summary>
internal sealed record ModelValidation(ValidationVerdict Verdict, ModelSignature? Signature, string? Error);
