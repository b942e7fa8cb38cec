using System.Threading.Channels;
using Orbit.Contracts.Inference;

namespace Orbit.InferenceWorker.Batching;

/// <summary>
/// The dynamic batcher of one model version. Requests queue here; when a run slot is free (at most
/// <c>Concurrency</c> batches run at once) the oldest request and every later one that can merge
/// with it (same element types and non-batch dimensions) form a batch of at most
/// <c>MaxBatchSize</c> rows. The batch runs as soon as it is full or reaches a preferred size, or
/// when the oldest request has waited <c>MaxQueueDelay</c>, or at once when no other request is
/// queued or on its way (<see cref="Arrivals"/>): waiting is only worth it when something can join.
/// Requests past their deadline are answered <see cref="RejectionReason.DeadlineExceeded"/> and never run.
/// </summary>
internal sealed partial class DynamicBatcher
{
    private readonly Channel<PendingRequest> _queue = Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<PendingRequest> _waiting = [];
    private readonly HashSet<Task> _running = [];
    private readonly BatchingOptions _options;
    private readonly BatchExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Arrivals _arrivals;
    private readonly SemaphoreSlim _slots;
    private Task _loop = Task.CompletedTask;
    private int _depth;
    private volatile bool _draining;

    public DynamicBatcher(BatchingOptions options, BatchExecutor executor, TimeProvider time, ILogger logger, Arrivals? arrivals = null)
    {
        _options = options;
        _arrivals = arrivals ?? new Arrivals();
        _executor = executor;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
    }

    /// <summary>Requests queued and not yet running.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>Starts forming batches. Separate from construction so tests can queue requests first.</summary>
    public DynamicBatcher Start()
    {
        _loop = Task.Run(LoopAsync);
        return this;
    }

    /// <summary>Queues a request; false once the batcher is stopping (the caller answers ShuttingDown).</summary>
    public bool TryEnqueue(PendingRequest request)
    {
        if (!_queue.Writer.TryWrite(request))
        {
            return false;
        }

        Interlocked.Increment(ref _depth);
        return true;
    }

    /// <summary>
    /// Takes no more requests and runs what is queued without waiting for more. If
    /// <paramref name="cancellationToken"/> fires first, what has not started is answered ShuttingDown.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken);
            Task[] running;
            lock (_running)
            {
                running = [.. _running];
            }

            await Task.WhenAll(running).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: what has not started is answered below.
        }
        finally
        {
            // Empty after a finished loop; holds what never started when time ran out or the loop never ran.
            TakeQueued();
            lock (_waiting)
            {
                foreach (var request in _waiting)
                {
                    request.Complete(InferenceOutcome.Rejected(RejectionReason.ShuttingDown, "The worker stopped before this request could run."));
                }

                Interlocked.Add(ref _depth, -_waiting.Count);
                _waiting.Clear();
            }
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (await NextBatchAsync() is { } batch)
            {
                var run = Task.Run(() => Run(batch));
                lock (_running)
                {
                    _running.Add(run);
                }

                _ = run.ContinueWith(
                    (t, state) =>
                    {
                        var self = (DynamicBatcher)state!;
                        lock (self._running)
                        {
                            self._running.Remove(t);
                        }
                    },
                    this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (Exception ex)
        {
            LogLoopFailed(_logger, ex);
            throw;
        }
    }

    private void Run(List<PendingRequest> batch)
    {
        try
        {
            _executor.Execute(batch);
        }
        catch (Exception ex)
        {
            LogBatchCrashed(_logger, ex);
            foreach (var request in batch)
            {
                request.Complete(InferenceOutcome.Rejected(RejectionReason.ModelError, ex.Message));
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The next batch to run, holding a run slot; null when stopped and nothing is left.</summary>
    private async Task<List<PendingRequest>?> NextBatchAsync()
    {
        while (true)
        {
            if (Count() == 0 && !await _queue.Reader.WaitToReadAsync())
            {
                return null;
            }

            await _slots.WaitAsync();
            var batch = await FormAsync();
            if (batch.Count > 0)
            {
                return batch;
            }

            _slots.Release();
        }
    }

    private async Task<List<PendingRequest>> FormAsync()
    {
        while (true)
        {
            TakeQueued();
            DropExpired();
            List<PendingRequest> batch;
            lock (_waiting)
            {
                if (_waiting.Count == 0)
                {
                    return [];
                }

                batch = Select(out var rows);
                var first = _waiting[0];
                var windowEnd = _time.GetElapsedTime(first.EnqueuedTimestamp);
                var ready = first.Rows == 0
                    || rows >= _options.MaxBatchSize
                    || _options.PreferredBatchSizes.Contains((int)Math.Min(rows, int.MaxValue))
                    || windowEnd >= _options.MaxQueueDelay
                    || _draining
                    || NothingMoreComing();
                if (ready)
                {
                    foreach (var request in batch)
                    {
                        _waiting.Remove(request);
                    }

                    Interlocked.Add(ref _depth, -batch.Count);
                    return batch;
                }
            }

            await WaitForMoreAsync(_options.MaxQueueDelay - _time.GetElapsedTime(batch[0].EnqueuedTimestamp));
        }
    }

    /// <summary>
    /// The oldest request and the later ones that merge with it, up to MaxBatchSize rows. With
    /// preferred sizes, a batch that is not full is cut to the largest preferred size it reaches.
    /// </summary>
    private List<PendingRequest> Select(out long rows)
    {
        var first = _waiting[0];
        rows = first.Rows;
        var batch = new List<PendingRequest> { first };
        if (first.Rows == 0)
        {
            return batch;
        }

        var preferredCount = _options.PreferredBatchSizes.Contains((int)Math.Min(rows, int.MaxValue)) ? 1 : 0;
        var preferredRows = preferredCount == 1 ? rows : 0;
        for (var i = 1; i < _waiting.Count && rows < _options.MaxBatchSize; i++)
        {
            var candidate = _waiting[i];
            if (candidate.Rows > 0 && candidate.BatchKey == first.BatchKey && rows + candidate.Rows <= _options.MaxBatchSize)
            {
                batch.Add(candidate);
                rows += candidate.Rows;
                if (_options.PreferredBatchSizes.Contains((int)rows))
                {
                    preferredCount = batch.Count;
                    preferredRows = rows;
                }
            }
        }

        if (rows < _options.MaxBatchSize && preferredCount > 0 && preferredCount < batch.Count)
        {
            batch.RemoveRange(preferredCount, batch.Count - preferredCount);
            rows = preferredRows;
        }

        return batch;
    }

    private async Task WaitForMoreAsync(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(remaining, _time);
        try
        {
            await _queue.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // The oldest request has waited long enough.
        }
    }

    /// <summary>
    /// No received request is still being checked or sits in the channel untaken (both are counted until
    /// <see cref="TakeQueued"/> takes them): no one can join this batch.
    /// </summary>
    private bool NothingMoreComing() => _arrivals.Expected == 0;

    private void TakeQueued()
    {
        lock (_waiting)
        {
            while (_queue.Reader.TryRead(out var request))
            {
                _waiting.Add(request);
                if (request.Expected)
                {
                    // Here rather than by the sender: counted down only once the batcher holds it, so a request is never both unseen and not expected.
                    _arrivals.Arrived();
                }
            }
        }
    }

    private int Count()
    {
        lock (_waiting)
        {
            return _waiting.Count;
        }
    }

    private void DropExpired()
    {
        var now = _time.GetUtcNow();
        lock (_waiting)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                var request = _waiting[i];
                if (request.Deadline <= now)
                {
                    _waiting.RemoveAt(i);
                    Interlocked.Decrement(ref _depth);
                    request.Complete(InferenceOutcome.Rejected(
                        RejectionReason.DeadlineExceeded,
                        $"The deadline {request.Deadline:O} passed before the request could run; it was not run.",
                        queueMilliseconds: _time.GetElapsedTime(request.EnqueuedTimestamp).TotalMilliseconds));
                }
            }
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.BatchCrashed, Level = LogLevel.Error, Message = "A batch failed unexpectedly; its requests are answered ModelError")]
    private static partial void LogBatchCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = WorkerLogEvents.LoopFailed, Level = LogLevel.Critical, Message = "The batching loop stopped unexpectedly")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
