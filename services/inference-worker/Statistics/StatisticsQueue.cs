using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// The hand-off from the hot path: a served request is queued in O(1) and never waits; when the queue is
/// full it is left out of the statistics and counted. <see cref="StatisticsCollector"/> drains it.
/// </summary>
internal sealed class StatisticsQueue(IOptions<StatisticsOptions> options, StatisticsMetrics metrics, TimeProvider time)
{
    private readonly bool _enabled = options.Value.Enabled;
    private readonly Channel<ServedRequest> _channel = Channel.CreateBounded<ServedRequest>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<ServedRequest> Reader => _channel.Reader;

    public void Observe(InferenceRequested request, int version, IReadOnlyList<InferenceTensor> outputs)
    {
        if (!_enabled)
        {
            return;
        }

        if (!_channel.Writer.TryWrite(new ServedRequest(request, version, outputs, time.GetUtcNow())))
        {
            metrics.Skipped("queue_full");
        }
    }
}
