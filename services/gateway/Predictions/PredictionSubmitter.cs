using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Predictions;
using Orbit.Contracts.Wire;
using Orbit.Gateway.Inference;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Accepts a prediction, in named steps: check (the model is deployed for the caller's tenant, the
/// version is routed), record (pending in Redis, or found again by its idempotency key), enqueue (on
/// the durable <c>orbit.predictions.pending</c> queue, with the broker's confirmation). Only then is it
/// accepted; if the queue cannot be reached the record is taken back and the caller told to retry.
/// </summary>
internal sealed class PredictionSubmitter(RoutingTables routing, PredictionStore store, IBus bus, IOptions<PredictionOptions> options, TimeProvider time)
{
    public const int MaxKeyLength = 256;

    private static readonly Uri PendingQueue = new($"queue:{PredictionAddresses.Pending}");

    /// <param name="enqueue">False for an ingress that computes the prediction itself (Kafka commits its offset only after the result).</param>
    public async Task<SubmissionOutcome> SubmitAsync(Caller caller, Submission submission, CancellationToken cancellationToken, bool enqueue = true)
    {
        var (table, _) = InferenceEndpoints.FindDeployment(routing, caller.TenantId, submission.Model);
        if (table is null)
        {
            return SubmissionOutcome.Refused(StatusCodes.Status404NotFound, "model", $"model '{submission.Model}' not found or not deployed");
        }

        int? version = null;
        if (submission.Version is not null)
        {
            var (route, _) = InferenceEndpoints.FindVersion(table, submission.Version);
            if (route is null)
            {
                return SubmissionOutcome.Refused(StatusCodes.Status404NotFound, "version", $"version '{submission.Version}' of model '{submission.Model}' is not deployed");
            }

            version = route.Version;
        }

        var key = submission.IdempotencyKey ?? submission.Request.Id;
        if (key is { Length: > MaxKeyLength })
        {
            return SubmissionOutcome.Refused(StatusCodes.Status400BadRequest, submission.IdempotencyKey is null ? "id" : "Idempotency-Key", $"must be at most {MaxKeyLength} characters");
        }

        var now = time.GetUtcNow();
        var id = "pred_" + Guid.NewGuid().ToString("N");
        var (created, existing) = await store.CreateAsync(caller.TenantId, key, id, submission.Model, version, submission.Request.Id, now);
        var message = new PredictionRequested(
            id, caller.TenantId, submission.Model, version, submission.Request.Inputs,
            PredictionPriority.Effective(submission.Priority, caller.TenantId, options.Value),
            now, submission.Source, submission.Request.Id, submission.Request.Outputs, submission.Request.RoutingKey);
        if (!created)
        {
            if (existing is null)
            {
                throw new DependencyUnavailableException("the prediction this key names expired a moment ago; retry the request");
            }

            var again = message with { PredictionId = existing.Id, ModelVersion = existing.Version };
            // Its first gateway recorded it but died before queueing it: the retry queues it (by then it cannot be on its way).
            if (enqueue && !existing.IsDone && !existing.Enqueued && existing.CreatedAt + TimeSpan.FromSeconds(options.Value.RequeueAfterSeconds) <= now)
            {
                await EnqueueAsync(again, cancellationToken);
            }

            return new SubmissionOutcome(existing, false, null, again);
        }

        var pending = new StoredPrediction(id, caller.TenantId, PredictionStates.Pending, submission.Model, version, submission.Request.Id, now, null, null, null, null, enqueue);
        if (!enqueue)
        {
            return new SubmissionOutcome(pending, true, null, message);
        }

        try
        {
            await EnqueueAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await store.ForgetAsync(caller.TenantId, key, id);
            throw new DependencyUnavailableException("the prediction queue is unreachable; nothing was accepted, retry the request", ex);
        }

        return new SubmissionOutcome(pending, true, null, message);
    }

    private async Task EnqueueAsync(PredictionRequested message, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(PendingQueue);
        await endpoint.Send(message, cancellationToken);
        await store.MarkEnqueuedAsync(message.TenantId, message.PredictionId);
    }
}
