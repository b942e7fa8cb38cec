using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Predictions;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.Inference;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Computes an accepted prediction once: a prediction already finished is returned as it is (a
/// redelivery, or the same request published again); otherwise it goes through the real-time
/// forwarding path (<see cref="InferenceForwarder"/>) at its own priority, and the answer is recorded.
/// What a later attempt might fix (no worker serving, busy, no answer in time) throws
/// <see cref="RetryLaterException"/> unless this is the last attempt, which records it as failed.
/// </summary>
internal sealed class PredictionComputer(
    PredictionStore store,
    RoutingTables routing,
    WorkerFleet fleet,
    InferenceForwarder forwarder,
    IOptions<PredictionOptions> options,
    TimeProvider time)
{
    /// <returns>The finished prediction, or null when its record has expired (nothing left to answer).</returns>
    public async Task<StoredPrediction?> ComputeAsync(PredictionRequested request, bool lastAttempt)
    {
        var stored = await store.GetAsync(request.TenantId, request.PredictionId);
        if (stored is null || stored.IsDone)
        {
            return stored;
        }

        var (version, outcome) = await RunAsync(request);
        var now = time.GetUtcNow();
        switch (outcome.Status)
        {
            case ForwardStatus.Completed:
                var completed = outcome.Completed!;
                var shown = Caller.PlatformTenant == request.TenantId ? completed : completed with { WorkerId = TenantFleetView.Alias(request.TenantId, completed.WorkerId) };
                var response = OipResponseWriter.ToBytes(request.ModelName, shown, request.RequestId);
                return await RecordedAsync(stored with { Status = PredictionStates.Completed, Version = completed.ModelVersion, CompletedAt = now, Response = response },
                    store.CompleteAsync(request.TenantId, request.PredictionId, completed.ModelVersion, response, now));
            case ForwardStatus.Rejected when outcome.Rejected!.Reason == RejectionReason.InvalidInput:
                return await FailAsync(stored, version, PredictionFailureReasons.InvalidInput, outcome.Rejected.Detail, now);
            case ForwardStatus.Rejected when outcome.Rejected!.Reason == RejectionReason.ModelError:
                // ONNX Runtime's words may carry paths: clients get the kind of failure, operators the worker's log.
                return await FailAsync(stored, version, PredictionFailureReasons.ModelError, "the model failed to run on this input", now);
            case ForwardStatus.TooLarge:
                return await FailAsync(stored, version, PredictionFailureReasons.InvalidInput, outcome.Detail!, now);
            case ForwardStatus.Rejected when version is null:
                return await FailAsync(stored, null, PredictionFailureReasons.ModelNotFound, outcome.Rejected!.Detail, now);
            default:
                var reason = Describe(outcome);
                return lastAttempt
                    ? await FailAsync(stored, version, PredictionFailureReasons.Unavailable, $"{reason}; gave up after {options.Value.MaxAttempts} attempts", now)
                    : throw new RetryLaterException(reason);
        }
    }

    private Task<StoredPrediction?> FailAsync(StoredPrediction stored, int? version, string reason, string detail, DateTimeOffset now) =>
        RecordedAsync(stored with { Status = PredictionStates.Failed, Version = version, CompletedAt = now, Reason = reason, Detail = detail },
            store.FailAsync(stored.TenantId, stored.Id, version, reason, detail, now));

    /// <summary>What was recorded: this answer, unless another came first (then that one, read back).</summary>
    private async Task<StoredPrediction?> RecordedAsync(StoredPrediction finished, Task<int> recording) =>
        await recording == 0 ? await store.GetAsync(finished.TenantId, finished.Id) : finished;

    /// <summary>The version it ran on (null when the model is no longer routed), and how the forwarding ended.</summary>
    private async Task<(int? Version, ForwardOutcome Outcome)> RunAsync(PredictionRequested request)
    {
        var table = routing.Get(request.TenantId, request.ModelName);
        var route = table is null || table.Routes.Count == 0 ? null
            : request.ModelVersion is { } named ? RoutePicker.Find(table.Routes, named)
            : RoutePicker.PickServed(table.Routes, request.RoutingKey, v => fleet.Serves(request.TenantId, request.ModelName, v));
        if (route is null)
        {
            return (null, ForwardOutcome.Of(new InferenceRejected(request.PredictionId, request.ModelName, RejectionReason.ModelNotDeployed,
                $"model '{request.ModelName}'{(request.ModelVersion is { } v ? $" version {v}" : "")} is no longer deployed")));
        }

        if (!fleet.Serves(request.TenantId, request.ModelName, route.Version))
        {
            return (route.Version, ForwardOutcome.WorkerFailed($"no worker is serving version {route.Version} of model '{request.ModelName}'"));
        }

        var timeout = TimeSpan.FromMilliseconds(options.Value.AttemptTimeoutMilliseconds);
        var message = new InferenceRequested(
            request.PredictionId, request.TenantId, request.ModelName, route.Version, request.Inputs,
            time.GetUtcNow() + timeout, request.RequestedOutputs, request.Priority, request.RoutingKey);
        return (route.Version, await forwarder.SendAsync(message, timeout));
    }

    private static string Describe(ForwardOutcome outcome) => outcome.Status switch
    {
        ForwardStatus.TimedOut => "no answer from a worker in time",
        ForwardStatus.Rejected => $"the workers could not take it ({outcome.Rejected!.Reason})",
        _ => outcome.Detail ?? "the workers could not take it",
    };
}
