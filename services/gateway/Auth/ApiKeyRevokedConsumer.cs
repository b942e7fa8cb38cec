using MassTransit;
using Orbit.Contracts.Registry;

namespace Orbit.Gateway.Auth;

/// <summary>Makes a revocation take effect on this gateway at once (see <see cref="KeyValidator.Revoke"/>).</summary>
internal sealed class ApiKeyRevokedConsumer(KeyValidator keys) : IConsumer<ApiKeyRevoked>
{
    public Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        keys.Revoke(context.Message.KeyId);
        return Task.CompletedTask;
    }
}
