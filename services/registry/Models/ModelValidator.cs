using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Onnx.Sessions;

namespace Orbit.Registry.Models;

/// <summary>
/// Loads an upload the way a worker will (<see cref="ServingSessions"/>), a few at a time: a load
/// holds the model's memory and CPU, so uploads beyond the slots wait in a bounded queue and
/// beyond that are turned away (<see cref="ValidationVerdict.Busy"/>) rather than piling up. A load
/// past the time limit is refused and cancelled (the check process is killed); a load that cannot be
/// stopped keeps its slot until it returns, so hung loads cannot multiply.
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

        var deadline = new CancellationTokenSource(Timeout, _time);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var load = Task.Run(() => _inspector.InspectAsync(path, SessionOptions, stop.Token), CancellationToken.None);
        _ = load.ContinueWith(t => Release(t.Exception, deadline, stop), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            var inspection = await load.WaitAsync(Timeout, _time, cancellationToken);
            return inspection.Signature is null
                ? new ModelValidation(ValidationVerdict.Refused, null, inspection.Error)
                : new ModelValidation(ValidationVerdict.Loaded, inspection.Signature, null);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            LogTimedOut(_logger, _options.TimeoutSeconds);
            return new ModelValidation(ValidationVerdict.TimedOut, null, $"ONNX Runtime did not finish loading the model within {_options.TimeoutSeconds} s (Orbit:Registry:Validation:TimeoutSeconds)");
        }
    }

    // The exception is taken so that a load cancelled after its caller stopped waiting is not reported unobserved.
    private void Release(AggregateException? _, CancellationTokenSource deadline, CancellationTokenSource stop)
    {
        stop.Dispose();
        deadline.Dispose();
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    [LoggerMessage(EventId = RegistryLogEvents.ValidationBusy, Level = LogLevel.Warning, Message = "Upload refused: all {Slots} validation slots and {Queued} queue places are taken")]
    private static partial void LogBusy(ILogger logger, int slots, int queued);

    [LoggerMessage(EventId = RegistryLogEvents.ValidationTimedOut, Level = LogLevel.Warning, Message = "Upload refused: ONNX Runtime did not load it within {Seconds} s; the check was stopped")]
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
