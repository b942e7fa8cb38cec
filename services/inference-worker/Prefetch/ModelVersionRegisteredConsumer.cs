using MassTransit;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Errors;

namespace Orbit.InferenceWorker.Prefetch;

/// <summary>
/// Warms the model cache as soon as a version is registered (see <see cref="ArtifactPrefetcher"/>).
/// A payload that cannot name an artifact goes to the error queue with its reason; anything that
/// goes wrong with a valid one is logged and left to the on-demand load at deploy time.
/// </summary>
internal sealed class ModelVersionRegisteredConsumer(ArtifactPrefetcher prefetcher) : IConsumer<ModelVersionRegistered>
{
    public Task Consume(ConsumeContext<ModelVersionRegistered> context)
    {
        var registered = context.Message;
        Validate(registered);
        return prefetcher.PrefetchAsync(registered, context.CancellationToken);
    }

    private static void Validate(ModelVersionRegistered registered)
    {
        if (string.IsNullOrWhiteSpace(registered.TenantId))
        {
            throw new MessageValidationException("tenantId", "is required");
        }

        if (string.IsNullOrWhiteSpace(registered.ModelName))
        {
            throw new MessageValidationException("modelName", "is required");
        }

        if (registered.Version < 1)
        {
            throw new MessageValidationException("version", "must be 1 or more");
        }

        if (!Digest.IsValid(registered.Digest))
        {
            throw new MessageValidationException("digest", "must be sha256: followed by 64 lowercase hex digits");
        }

        if (registered.SizeBytes < 0)
        {
            throw new MessageValidationException("sizeBytes", "must not be negative");
        }
    }
}
