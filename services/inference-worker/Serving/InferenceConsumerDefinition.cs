using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Single requests on <c>infer.{tenant}.{model}</c>, connected at run time by the <see cref="ServingCoordinator"/>:
/// enough prefetch and concurrency for the dynamic batcher to see enough requests to fill batches.
/// </summary>
internal sealed class InferenceConsumerDefinition(IOptions<WorkerOptions> options)
    : InferenceQueueDefinition<InferenceConsumer>(Math.Max(16, options.Value.MaxBatchSize * options.Value.Concurrency * 2));
