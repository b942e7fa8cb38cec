using Orbit.Contracts.Inference;
using Orbit.Hosting;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Statistics;

namespace Orbit.InferenceWorker.Serving;

/// <summary>Turns a request's outcome into its answer, counts it, and hands a served one to the statistics.</summary>
internal sealed class InferenceReplies(InferenceHandler handler, InferenceMetrics metrics, StatisticsQueue statistics, OrbitServiceInfo service, TimeProvider time)
{
    public async Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> AnswerAsync(InferenceRequested request, long receivedTimestamp, CancellationToken cancellationToken)
    {
        var (outcome, version) = await handler.HandleAsync(request, receivedTimestamp, cancellationToken);
        if (outcome.Outputs is { } outputs)
        {
            metrics.RequestCompleted(new ModelTags(request.TenantId, request.ModelName, version), time.GetElapsedTime(receivedTimestamp));
            // Queued, never awaited: the answer does not wait for statistics.
            statistics.Observe(request, version, outputs);
            return (new InferenceCompleted(
                request.RequestId, request.ModelName, version, outputs, service.InstanceId,
                Math.Round(outcome.QueueMilliseconds, 3), Math.Round(outcome.ComputeMilliseconds, 3), outcome.BatchSize), null);
        }

        var reason = outcome.Reason!.Value;
        metrics.Rejected(reason, request.TenantId, request.ModelName);
        return (null, new InferenceRejected(request.RequestId, request.ModelName, reason, outcome.Detail ?? reason.ToString(), outcome.Field, service.InstanceId));
    }
}
