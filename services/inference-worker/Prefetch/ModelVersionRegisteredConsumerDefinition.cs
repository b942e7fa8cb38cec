using Orbit.Hosting.Messaging;

namespace Orbit.InferenceWorker.Prefetch;

/// <summary>
/// Every worker keeps its own cache, so every worker hears every registration, on a temporary queue
/// of its own. One download at a time: prefetching must not crowd out serving on a small machine.
/// </summary>
internal sealed class ModelVersionRegisteredConsumerDefinition : InstanceEventConsumerDefinition<ModelVersionRegisteredConsumer>
{
    public ModelVersionRegisteredConsumerDefinition()
        : base("model-registered-")
    {
        ConcurrentMessageLimit = 1;
    }
}
