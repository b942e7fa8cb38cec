using MassTransit;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Answers <see cref="InferenceRequested"/> on the queues <c>infer.{tenant}.{model}</c> that the
/// <see cref="ServingCoordinator"/> connects at run time (hence not configured with the others).
/// Every request gets exactly one answer: <see cref="InferenceCompleted"/> or <see cref="InferenceRejected"/>.
/// If the answer cannot be sent the exception propagates, so the message is not acknowledged.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed class InferenceConsumer(InferenceReplies replies, TimeProvider time) : IConsumer<InferenceRequested>
{
    public async Task Consume(ConsumeContext<InferenceRequested> context)
    {
        var (completed, rejected) = await replies.AnswerAsync(context.Message, time.GetTimestamp(), context.CancellationToken);
        if (completed is not null)
        {
            await context.RespondAsync(completed, reply => reply.UseInferenceWireIf(context.CameAsInferenceWire()));
        }
        else
        {
            await context.RespondAsync(rejected!);
        }
    }
}
