using System.Diagnostics;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tensors;
using Orbit.Routing;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// One request from receipt to outcome: the routing table decides the version, the deadline is
/// checked, the model is loaded if needed, inputs are checked, and the request joins its
/// version's batcher.
/// </summary>
internal sealed class InferenceHandler(RoutingTables routes, ModelStore models, BatcherPool batchers, TimeProvider time)
{
    /// <summary>
    /// The caller counted the request as expected (<see cref="BatcherPool.ArrivalsOf"/>, see
    /// <see cref="InferenceReplies"/>); it is marked arrived exactly once: by its batcher when it is
    /// queued, here when it is answered without being queued.
    /// The inputs come back as decoded for ONNX Runtime (null when the request was refused before that), so
    /// the statistics read them instead of decoding the request again.
    /// </summary>
    public async Task<(InferenceOutcome Outcome, int Version, DecodedTensor[]? Inputs)> HandleAsync(InferenceRequested request, long receivedTimestamp, CancellationToken cancellationToken)
    {
        var arrival = new Arrival(batchers.ArrivalsOf(request.TenantId, request.ModelName));
        try
        {
            return await HandleCoreAsync(request, receivedTimestamp, arrival, cancellationToken);
        }
        finally
        {
            arrival.Done();
        }
    }

    private async Task<(InferenceOutcome Outcome, int Version, DecodedTensor[]? Inputs)> HandleCoreAsync(
        InferenceRequested request, long receivedTimestamp, Arrival arrival, CancellationToken cancellationToken)
    {
        var table = routes.Get(request.TenantId, request.ModelName);
        var route = Resolve(table, request);
        if (route is null)
        {
            var deployed = table is null || table.Routes.Count == 0
                ? "it is not deployed on this worker"
                : $"the routing table (revision {table.Revision}) has versions {string.Join(", ", table.Routes.Select(r => r.Version))}";
            var what = request.ModelVersion is { } v ? $"version {v} of {request.TenantId}/{request.ModelName}" : $"{request.TenantId}/{request.ModelName}";
            return (InferenceOutcome.Rejected(RejectionReason.ModelNotDeployed, $"{what} is not deployed: {deployed}", "modelVersion"), request.ModelVersion ?? 0, null);
        }

        // A publisher that sets no deadline (the default value) gets none.
        if (request.Deadline != default && request.Deadline <= time.GetUtcNow())
        {
            return (InferenceOutcome.Rejected(RejectionReason.DeadlineExceeded,
                $"The deadline {request.Deadline:O} had passed when the worker received the request; it was not run.", "deadline"), route.Version, null);
        }

        ModelLease lease;
        try
        {
            lease = await models.AcquireAsync(route.Digest, cancellationToken);
        }
        catch (ModelUnavailableException ex)
        {
            return (InferenceOutcome.Rejected(RejectionReason.ModelError, ex.Message), route.Version, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (InferenceOutcome.Rejected(RejectionReason.ShuttingDown, "The worker stopped while loading the model."), route.Version, null);
        }

        using (lease)
        {
            var inputs = RequestValidator.Validate(request, lease.Model.Session, out var error);
            if (inputs is null)
            {
                return (InferenceOutcome.Rejected(RejectionReason.InvalidInput, error!.Detail, error.Field), route.Version, null);
            }

            var pending = new PendingRequest(
                request.RequestId, lease.Model, inputs, request.RequestedOutputs,
                request.Deadline == default ? DateTimeOffset.MaxValue : request.Deadline, receivedTimestamp,
                mayMerge: route.MaxBatchSize != 0)
            {
                Expected = true,
            };
            // Marks, in a recorded trace only, when the request joined its batcher (bench/run-breakdown.sh reads it).
            if (Activity.Current is { IsAllDataRequested: true } activity)
            {
                activity.AddEvent(new ActivityEvent("orbit.queued"));
            }

            if (!batchers.Get(request.TenantId, request.ModelName, route.Version, route.MaxBatchSize).TryEnqueue(pending))
            {
                return (InferenceOutcome.Rejected(RejectionReason.ShuttingDown, "The worker is stopping and takes no new requests."), route.Version, null);
            }

            // The batcher counts it arrived when it takes it.
            arrival.HandOver();

            // Not the consume token: a queued request is always answered, by its batch or at shutdown.
            return (await pending.Completion, route.Version, inputs);
        }
    }

    /// <summary>
    /// The version the request names (the gateway always names the one it picked; a worker never
    /// picks again), or for a publisher that names none, one drawn by the table's weights, sticky by
    /// the request's routing key.
    /// </summary>
    private static Orbit.Contracts.Models.DeploymentRoute? Resolve(Orbit.Contracts.Models.DeploymentChanged? table, InferenceRequested request) =>
        table is null ? null
        : request.ModelVersion is { } version ? RoutePicker.Find(table.Routes, version)
        : RoutePicker.Pick(table.Routes, request.RoutingKey);

    /// <summary>Marks an expected request arrived once: here if it is answered without a batcher, by the batcher if it is queued.</summary>
    private sealed class Arrival(Arrivals arrivals)
    {
        private int _done;

        public void HandOver() => Volatile.Write(ref _done, 1);

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                arrivals.Arrived();
            }
        }
    }
}
