using Orbit.InferenceWorker.Batching;
using Orbit.Onnx.Sessions;

namespace Orbit.InferenceWorker.Models;

/// <summary>
/// One ONNX Runtime session for one artifact. Requests hold a lease while they use it; a model
/// with no lease that has been idle long enough may be unloaded (and is reloaded on demand).
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly Lock _lock = new();
    private int _leases;
    private bool _disposed;
    private readonly TimeProvider _time;
    private long _lastUsedTicks;

    public LoadedModel(string digest, OnnxSession session, BatchingVerdict batching, TimeProvider time)
    {
        _time = time;
        Digest = digest;
        Session = session;
        Batching = batching;
        _lastUsedTicks = time.GetUtcNow().UtcTicks;
    }

    public string Digest { get; }

    public OnnxSession Session { get; }

    public string Provider => Session.ExecutionProvider;

    /// <summary>Whether requests may be merged along dimension 0 (free first dimensions, and rows proved independent at load time), and why.</summary>
    public BatchingVerdict Batching { get; }

    public bool CanBatch => Batching.CanBatch;

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    public int Leases
    {
        get
        {
            lock (_lock)
            {
                return _leases;
            }
        }
    }

    public bool TryAcquire(out ModelLease lease)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                lease = default;
                return false;
            }

            _leases++;
            Interlocked.Exchange(ref _lastUsedTicks, _time.GetUtcNow().UtcTicks);
            lease = new ModelLease(this);
            return true;
        }
    }

    internal void Release()
    {
        lock (_lock)
        {
            _leases--;
            Interlocked.Exchange(ref _lastUsedTicks, _time.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Disposes the session if nobody holds it and it was last used before <paramref name="idleSince"/>.</summary>
    public bool TryUnload(DateTimeOffset idleSince)
    {
        lock (_lock)
        {
            if (_disposed || _leases > 0 || LastUsed > idleSince)
            {
                return false;
            }

            _disposed = true;
        }

        Session.Dispose();
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Session.Dispose();
    }
}

/// <summary>A hold on a <see cref="LoadedModel"/>: it is not unloaded until every lease is disposed.</summary>
internal readonly struct ModelLease(LoadedModel model) : IDisposable
{
    public LoadedModel Model { get; } = model;

    public void Dispose() => Model?.Release();
}
