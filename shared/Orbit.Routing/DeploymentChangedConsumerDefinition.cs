using Orbit.Hosting.Messaging;

namespace Orbit.Routing;

/// <summary>
/// Every instance hears every deployment change, on a temporary queue of its own. A change that
/// fails to apply is retried (a later re-read from Redis repairs what retries could not).
/// </summary>
internal sealed class DeploymentChangedConsumerDefinition() : InstanceEventConsumerDefinition<DeploymentChangedConsumer>(NamePrefix)
{
    public const string NamePrefix = "deployment-changed-";
}
