using MassTransit;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// The asynchronous queues <c>infer.{tenant}.{model}.async</c> (and <c>.async.batch</c>) take the
/// same consumers as the real-time ones but a small prefetch: the broker hands this worker only a
/// few asynchronous requests at a time, so however deep the asynchronous backlog, a real-time request
/// waits behind at most that few in the batcher, never behind the backlog.
/// </summary>
internal static class AsynchronousQueue
{
    public static void Configure(IReceiveEndpointConfigurator endpoint, WorkerOptions options, bool single, Action configureConsumer)
    {
        configureConsumer();
        // Set after the consumer's definition, which would otherwise set the real-time queue's larger prefetch.
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Prefetch(options, single);
        }
    }

    /// <summary>Single requests: a quarter batch per concurrent run; coalesced groups: one per concurrent run.</summary>
    public static int Prefetch(WorkerOptions options, bool single) =>
        single ? Math.Max(2, options.MaxBatchSize * options.Concurrency / 4) : Math.Max(1, options.Concurrency);
}
