using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.InferenceWorker.Batching;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using SessionOptions = Orbit.Onnx.Sessions.SessionOptions;

namespace Orbit.InferenceWorker.Models;

/// <summary>
/// The sessions this worker holds, one per artifact digest (identical bytes share a session).
/// Loading downloads and verifies the file first; concurrent callers share one load.
/// </summary>
internal sealed partial class ModelStore : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedModel>>> _models = new(StringComparer.Ordinal);
    private readonly ModelCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelStore> _logger;
    private readonly SessionOptions _sessionOptions;

    public ModelStore(ModelCache cache, IOptions<WorkerOptions> options, TimeProvider time, ILogger<ModelStore> logger)
    {
        _cache = cache;
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _sessionOptions = ServingSessions.Options(settings.Device, settings.IntraOpThreads);
    }

    /// <summary>The models loaded now.</summary>
    public IReadOnlyList<LoadedModel> Loaded => _models.Values
        .Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully)
        .Select(l => l.Value.Result)
        .ToList();

    public IReadOnlySet<string> LoadedDigests() => Loaded.Select(m => m.Digest).ToHashSet(StringComparer.Ordinal);

    /// <summary>A lease on the session for <paramref name="digest"/>, loading it first if needed.</summary>
    public async Task<ModelLease> AcquireAsync(string digest, CancellationToken cancellationToken)
    {
        while (true)
        {
            var model = await LoadAsync(digest, cancellationToken);
            if (model.TryAcquire(out var lease))
            {
                return lease;
            }

            // Unloaded between lookup and lease: forget it and load again.
            RemoveIfSame(digest, model);
        }
    }

    /// <summary>Loads (downloads, verifies, opens) <paramref name="digest"/> if it is not loaded.</summary>
    public Task<LoadedModel> LoadAsync(string digest, CancellationToken cancellationToken)
    {
        var entry = _models.GetOrAdd(digest, d => new Lazy<Task<LoadedModel>>(() => LoadCoreAsync(d)));
        if (entry.Value.IsFaulted)
        {
            // A failed load is not remembered: this caller starts a fresh attempt.
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(digest, entry));
            entry = _models.GetOrAdd(digest, d => new Lazy<Task<LoadedModel>>(() => LoadCoreAsync(d)));
        }

        return entry.Value.WaitAsync(cancellationToken);
    }

    private async Task<LoadedModel> LoadCoreAsync(string digest)
    {
        try
        {
            var path = await _cache.EnsureAsync(digest, LoadedDigests, CancellationToken.None);
            var started = _time.GetTimestamp();
            var session = await Task.Run(() => OnnxSession.FromFile(path, _sessionOptions));
            var batching = await Task.Run(() => BatchingProbe.Check(session));
            var model = new LoadedModel(digest, session, batching, _time);
            LogLoaded(_logger, digest, session.ExecutionProvider, model.CanBatch, _time.GetElapsedTime(started).TotalMilliseconds);
            if (!batching.CanBatch)
            {
                LogUnbatched(_logger, digest, batching.Reason);
            }
            return model;
        }
        catch (OnnxRuntimeException ex)
        {
            LogLoadFailed(_logger, digest, ex.Message);
            throw new ModelUnavailableException($"ONNX Runtime could not load {digest}: {ex.Message}", ex);
        }
        catch (ModelUnavailableException ex)
        {
            LogLoadFailed(_logger, digest, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // A disk or network fault the layers below did not foresee still fails only this load, never the worker.
            LogLoadFailed(_logger, digest, ex.Message);
            throw new ModelUnavailableException($"Could not load {digest}: {ex.Message}", ex);
        }
    }

    /// <summary>Unloads sessions nobody used for <paramref name="idle"/>; returns how many.</summary>
    public int UnloadIdle(TimeSpan idle)
    {
        var idleSince = _time.GetUtcNow() - idle;
        var unloaded = 0;
        foreach (var model in Loaded)
        {
            if (model.TryUnload(idleSince))
            {
                RemoveIfSame(model.Digest, model);
                LogUnloaded(_logger, model.Digest, idle.TotalSeconds);
                unloaded++;
            }
        }

        return unloaded;
    }

    private void RemoveIfSame(string digest, LoadedModel model)
    {
        if (_models.TryGetValue(digest, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully
            && ReferenceEquals(entry.Value.Result, model))
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(digest, entry));
        }
    }

    public void Dispose()
    {
        foreach (var model in Loaded)
        {
            model.Dispose();
        }

        _models.Clear();
    }

    [LoggerMessage(EventId = WorkerLogEvents.Loaded, Level = LogLevel.Information, Message = "Loaded model {Digest} on {Provider} (batchable: {CanBatch}) in {Milliseconds:0.0} ms")]
    private static partial void LogLoaded(ILogger logger, string digest, string provider, bool canBatch, double milliseconds);

    [LoggerMessage(EventId = WorkerLogEvents.Unbatched, Level = LogLevel.Information, Message = "Model {Digest} is served unbatched: {Reason}")]
    private static partial void LogUnbatched(ILogger logger, string digest, string reason);

    [LoggerMessage(EventId = WorkerLogEvents.LoadFailed, Level = LogLevel.Error, Message = "Could not load model {Digest}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string digest, string reason);

    [LoggerMessage(EventId = WorkerLogEvents.Unloaded, Level = LogLevel.Information, Message = "Unloaded model {Digest}: idle longer than {Seconds} s")]
    private static partial void LogUnloaded(ILogger logger, string digest, double seconds);
}
