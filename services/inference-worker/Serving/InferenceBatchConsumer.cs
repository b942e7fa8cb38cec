using MassTransit;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Answers a gateway's coalesced <see cref="InferenceBatchRequested"/>: each request joins the
/// dynamic batcher on its own (so one bad request fails alone), and all answers travel back together.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed class InferenceBatchConsumer(InferenceReplies replies, TimeProvider time) : IConsumer<InferenceBatchRequested>
{
    public async Task Consume(ConsumeContext<InferenceBatchRequested> context)
    {
        var received = time.GetTimestamp();
        var answers = await replies.AnswerAllAsync(context.Message.Requests, received, context.CancellationToken);
        var results = context.Message.Requests
            .Select((request, i) => new InferenceBatchResult(request.RequestId, answers[i].Completed, answers[i].Rejected))
            .ToList();
        await context.RespondAsync(new InferenceBatchCompleted(results), reply => reply.UseInferenceWireIf(context.CameAsInferenceWire()));
    }
}
