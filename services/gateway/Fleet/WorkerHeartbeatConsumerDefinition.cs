using Orbit.Hosting.Messaging;

namespace Orbit.Gateway.Fleet;

/// <summary>Every gateway hears every heartbeat, on a temporary queue of its own.</summary>
internal sealed class WorkerHeartbeatConsumerDefinition() : InstanceEventConsumerDefinition<WorkerHeartbeatConsumer>("worker-heartbeat-");
