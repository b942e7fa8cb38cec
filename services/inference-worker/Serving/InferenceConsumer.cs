using MassTransit;
using Orbit.Contracts.Inference;
using Orbit.Hosting;
using Orbit.InferenceWorker.Metrics;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Answers <see cref="InferenceRequested"/> on the queues <c>infer.{tenant}.{model}</c> that the
/// <see cref="ServingCoordinator"/> connects at run time (hence not configured with the others).
/// Every request gets exactly one answer: <see cref="InferenceCompleted"/> or <see cref="InferenceRejected"/>.
/// If the answer cannot be sent the exception propagates, so the message is not acknowledged.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed class InferenceConsumer(InferenceHandler handler, InferenceMetrics metrics, OrbitServiceInfo service, TimeProvider time)
    : IConsumer<InferenceRequested>
{
    public async Task Consume(ConsumeContext<InferenceRequested> context)
    {
        var received = time.GetTimestamp();
        var request = context.Message;
        var (outcome, version) = await handler.HandleAsync(request, received, context.CancellationToken);
        if (outcome.Outputs is { } outputs)
        {
            await context.RespondAsync(new InferenceCompleted(
                request.RequestId, request.ModelName, version, outputs, service.InstanceId,
                Math.Round(outcome.QueueMilliseconds, 3), Math.Round(outcome.ComputeMilliseconds, 3), outcome.BatchSize));
            metrics.RequestCompleted(new ModelTags(request.TenantId, request.ModelName, version), time.GetElapsedTime(received));
            return;
        }

        var reason = outcome.Reason!.Value;
        await context.RespondAsync(new InferenceRejected(request.RequestId, request.ModelName, reason, outcome.Detail ?? reason.ToString(), outcome.Field, service.InstanceId));
        metrics.Rejected(reason, request.TenantId, request.ModelName);
    }
}
