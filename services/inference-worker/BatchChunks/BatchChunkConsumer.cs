using MassTransit;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Serving;

namespace Orbit.InferenceWorker.BatchChunks;

/// <summary>
/// Runs one chunk of a batch job: loads the version by digest, takes the model's chunk turn (<see cref="ChunkTurns"/>),
/// waits while real-time work for the model is waiting (preemption at chunk boundaries), and runs the chunk's rows as
/// one request through the version's batcher and ONNX Runtime session, alone (never merged with real-time requests).
/// The answer goes to the registry's results queue after the turn ends (the next chunk runs meanwhile); the chunk is
/// acknowledged only after that, so a worker killed mid-chunk leaves it to be redelivered. Answers are transient
/// messages, like the chunks: a broker that restarts drops them, and the registry sends the chunks again.
/// A chunk that came binary (<see cref="InferenceWireFormat"/>) is answered binary, one that came as JSON (an older
/// registry) in JSON; <see cref="BatchChunkFailed"/>, which has no tensors, is always JSON.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed partial class BatchChunkConsumer(
    ModelStore models,
    BatcherPool batchers,
    RealTimeBacklog backlog,
    ChunkTurns turns,
    OrbitServiceInfo service,
    TimeProvider time,
    ILogger<BatchChunkConsumer> logger) : IConsumer<BatchChunkRequested>
{
    private static readonly TimeSpan PreemptedPoll = TimeSpan.FromMilliseconds(5);

    public async Task Consume(ConsumeContext<BatchChunkRequested> context)
    {
        var chunk = context.Message;
        var binary = context.CameAsInferenceWire();
        var results = await context.GetSendEndpoint(new Uri("queue:" + BatchAddresses.ResultsQueue));
        var (outcome, failure) = await RunAsync(chunk, context.CancellationToken);
        if (outcome is { Outputs: { } outputs })
        {
            await results.Send(new BatchChunkCompleted(chunk.JobId, chunk.Chunk, chunk.TenantId, outputs, service.InstanceId, Math.Round(outcome.ComputeMilliseconds, 3)),
                send =>
                {
                    send.Durable = false;
                    send.UseInferenceWireIf(binary);
                },
                context.CancellationToken);
        }
        else if (outcome?.Reason == RejectionReason.ShuttingDown)
        {
            // This worker is stopping: the chunk goes back on its queue for another, instead of failing its rows.
            var queue = await context.GetSendEndpoint(context.ReceiveContext.InputAddress);
            await queue.Send(chunk, send => send.UseInferenceWireIf(binary), context.CancellationToken);
        }
        else
        {
            var reason = failure ?? outcome?.Detail ?? outcome?.Reason?.ToString() ?? "unknown";
            LogChunkFailed(logger, chunk.JobId, chunk.Chunk, reason);
            await results.Send(new BatchChunkFailed(chunk.JobId, chunk.Chunk, chunk.TenantId, reason, service.InstanceId), context.CancellationToken);
        }
    }

    private async Task YieldToRealTimeAsync(BatchChunkRequested chunk, CancellationToken cancellationToken)
    {
        var waited = false;
        while (await backlog.IsWaitingAsync(chunk.TenantId, chunk.ModelName, cancellationToken))
        {
            waited = true;
            await Task.Delay(PreemptedPoll, time, cancellationToken);
        }

        if (waited)
        {
            LogYielded(logger, chunk.JobId, chunk.Chunk);
        }
    }

    private async Task<(InferenceOutcome? Outcome, string? Failure)> RunAsync(BatchChunkRequested chunk, CancellationToken cancellationToken)
    {
        ModelLease lease;
        try
        {
            lease = await models.AcquireAsync(chunk.Digest, cancellationToken);
        }
        catch (ModelUnavailableException ex)
        {
            return (null, ex.Message);
        }

        using (lease)
        {
            var request = new InferenceRequested($"{chunk.JobId}/{chunk.Chunk}", chunk.TenantId, chunk.ModelName, chunk.ModelVersion, chunk.Inputs, default);
            var inputs = RequestValidator.Validate(request, lease.Model.Session, out var error);
            if (inputs is null)
            {
                return (null, $"{error!.Field}: {error.Detail}");
            }

            using var turn = await turns.TakeAsync(chunk.TenantId, chunk.ModelName, cancellationToken);
            await YieldToRealTimeAsync(chunk, cancellationToken);
            var pending = new PendingRequest(request.RequestId, lease.Model, inputs, null, DateTimeOffset.MaxValue, time.GetTimestamp(), mayMerge: false);
            if (!batchers.Get(chunk.TenantId, chunk.ModelName, chunk.ModelVersion, chunk.MaxBatchSize).TryEnqueue(pending))
            {
                return (InferenceOutcome.Rejected(RejectionReason.ShuttingDown, "The worker is stopping."), null);
            }

            return (await pending.Completion, null);
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.ChunkYielded, Level = LogLevel.Debug, Message = "Chunk {Chunk} of batch job {JobId} waited for real-time requests first")]
    private static partial void LogYielded(ILogger logger, string jobId, int chunk);

    [LoggerMessage(EventId = WorkerLogEvents.ChunkFailed, Level = LogLevel.Warning, Message = "Chunk {Chunk} of batch job {JobId} failed: {Reason}")]
    private static partial void LogChunkFailed(ILogger logger, string jobId, int chunk, string reason);
}
