using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tensors;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// The hand-off from the hot path: a served request is queued lock-free in O(1) and never waits; when
/// <c>QueueCapacity</c> requests are already waiting it is left out of the statistics and counted.
/// <see cref="StatisticsCollector"/> takes them in batches.
/// </summary>
internal sealed class StatisticsQueue(IOptions<StatisticsOptions> options, StatisticsMetrics metrics, TimeProvider time)
{
    private readonly bool _enabled = options.Value.Enabled;
    private readonly int _capacity = options.Value.QueueCapacity;
    private readonly ConcurrentQueue<ServedRequest> _queue = new();
    private int _count;

    /// <param name="inputs">The inputs as the worker decoded them for ONNX Runtime: the statistics read these, not the request's tensors.</param>
    public void Observe(InferenceRequested request, int version, IReadOnlyList<DecodedTensor> inputs, IReadOnlyList<InferenceTensor> outputs)
    {
        if (!_enabled)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            metrics.Skipped("queue_full");
            return;
        }

        _queue.Enqueue(new ServedRequest(request, version, inputs, outputs, time.GetUtcNow()));
    }

    public bool TryTake(out ServedRequest served)
    {
        if (_queue.TryDequeue(out served!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }
}
