using Orbit.Contracts.Inference;
using Orbit.Hosting;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Statistics;

namespace Orbit.InferenceWorker.Serving;

/// <summary>Turns a request's outcome into its answer, counts it, and hands a served one to the statistics.</summary>
internal sealed class InferenceReplies(
    InferenceHandler handler, BatcherPool batchers, InferenceMetrics metrics, StatisticsQueue statistics, OrbitServiceInfo service, TimeProvider time)
{
    /// <summary>Answers one request.</summary>
    public Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> AnswerAsync(InferenceRequested request, long receivedTimestamp, CancellationToken cancellationToken)
    {
        batchers.ArrivalsOf(request.TenantId, request.ModelName).Expect(1);
        return AnswerExpectedAsync(request, receivedTimestamp, cancellationToken);
    }

    /// <summary>
    /// Answers a coalesced group. Every request is counted as expected before the first is handled, so
    /// the batcher waits for the rest of the group instead of running the first alone.
    /// </summary>
    public Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)[]> AnswerAllAsync(
        IReadOnlyList<InferenceRequested> requests, long receivedTimestamp, CancellationToken cancellationToken)
    {
        foreach (var model in requests.GroupBy(r => (r.TenantId, r.ModelName)))
        {
            batchers.ArrivalsOf(model.Key.TenantId, model.Key.ModelName).Expect(model.Count());
        }

        return Task.WhenAll(requests.Select(r => AnswerExpectedAsync(r, receivedTimestamp, cancellationToken)));
    }

    private async Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> AnswerExpectedAsync(
        InferenceRequested request, long receivedTimestamp, CancellationToken cancellationToken)
    {
        var (outcome, version, inputs) = await handler.HandleAsync(request, receivedTimestamp, cancellationToken);
        if (outcome.Outputs is { } outputs)
        {
            metrics.RequestCompleted(new ModelTags(request.TenantId, request.ModelName, version), time.GetElapsedTime(receivedTimestamp));
            // Queued, never awaited: the answer does not wait for statistics.
            statistics.Observe(request, version, inputs ?? [], outputs);
            return (new InferenceCompleted(
                request.RequestId, request.ModelName, version, outputs, service.InstanceId,
                Math.Round(outcome.QueueMilliseconds, 3), Math.Round(outcome.ComputeMilliseconds, 3), outcome.BatchSize), null);
        }

        var reason = outcome.Reason!.Value;
        metrics.Rejected(reason, request.TenantId, request.ModelName);
        return (null, new InferenceRejected(request.RequestId, request.ModelName, reason, outcome.Detail ?? reason.ToString(), outcome.Field, service.InstanceId));
    }
}
