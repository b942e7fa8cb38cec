using Orbit.Hosting.Messaging;

namespace Orbit.Gateway.Auth;

/// <summary>Every gateway hears every revocation, on a temporary queue of its own.</summary>
internal sealed class ApiKeyRevokedConsumerDefinition() : InstanceEventConsumerDefinition<ApiKeyRevokedConsumer>("api-key-revoked-");
