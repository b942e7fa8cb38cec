using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Serving;

/// <summary>A gateway's coalesced groups on <c>infer.{tenant}.{model}.batch</c>: fewer, larger messages.</summary>
internal sealed class InferenceBatchConsumerDefinition(IOptions<WorkerOptions> options)
    : InferenceQueueDefinition<InferenceBatchConsumer>(Math.Max(4, options.Value.Concurrency * 4));
