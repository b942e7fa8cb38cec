using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Models;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Shadow;

/// <summary>
/// Mirrors requests that stable answers to the model's shadow version, when the routing table has one
/// (<see cref="DeploymentRoute.MirrorPercent"/>): fire and forget. The copy travels at asynchronous priority (the
/// model's asynchronous queue, behind real-time work), under its own id, without the client's logging parameters; the
/// caller's answer is never awaited on it, changed by it or failed by it. At most <see cref="ShadowOptions.MaxInFlight"/>
/// copies are in flight: beyond that, and for a shadow no worker serves yet, the copy is skipped and counted. Both answers
/// are compared (<see cref="ShadowComparison"/>) and counted in <see cref="ShadowWindows"/> and the gateway's metrics.
/// </summary>
internal sealed partial class ShadowMirror(
    InferenceForwarder forwarder,
    ShadowHints hints,
    ShadowWindows windows,
    WorkerFleet fleet,
    GatewayMetrics metrics,
    IOptions<ShadowOptions> options,
    TimeProvider time,
    ILogger<ShadowMirror> logger)
{
    /// <summary>Appended to the primary's bus id, so the two are never taken for one request.</summary>
    public const string IdSuffix = "~shadow";

    private int _inFlight;

    /// <summary>Mirrors currently in flight (for tests and diagnostics).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The table's shadow route, when it has one and <paramref name="served"/> is its stable version.</summary>
    public static DeploymentRoute? ShadowOf(DeploymentChanged table, DeploymentRoute served)
    {
        if (table.Strategy != DeploymentStrategy.Shadow || served.Version != table.StableVersion)
        {
            return null;
        }

        foreach (var route in table.Routes)
        {
            if (route.MirrorPercent is > 0 && route.Version != served.Version)
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>
    /// Sends a copy of <paramref name="primary"/> to the shadow, drawn by the table's mirror share, and compares the
    /// answers once both are in. Returns at once; <paramref name="answer"/> is the primary's own forwarding.
    /// </summary>
    public void Offer(DeploymentChanged table, DeploymentRoute served, InferenceRequested primary, Task<ForwardOutcome> answer, TimeSpan timeout, string? key)
    {
        if (ShadowOf(table, served) is not { } shadow || Random.Shared.Next(100) >= shadow.MirrorPercent!.Value)
        {
            return;
        }

        var (tenant, model) = (primary.TenantId, primary.ModelName);
        if (!fleet.Serves(tenant, model, shadow.Version))
        {
            windows.Skipped(tenant, model, served.Version, shadow.Version);
            metrics.Mirrored(tenant, model, "not_served");
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > options.Value.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            windows.Skipped(tenant, model, served.Version, shadow.Version);
            metrics.Mirrored(tenant, model, "skipped");
            return;
        }

        var copy = primary with
        {
            RequestId = primary.RequestId + IdSuffix,
            ModelVersion = shadow.Version,
            Priority = InferencePriority.Asynchronous,
            Parameters = null,
        };
        _ = MirrorAsync(copy, served.Version, shadow.Version, answer, timeout, key);
    }

    private async Task MirrorAsync(InferenceRequested copy, int stable, int shadow, Task<ForwardOutcome> answer, TimeSpan timeout, string? key)
    {
        var (tenant, model) = (copy.TenantId, copy.ModelName);
        try
        {
            // Yield first: the caller's request goes on without waiting for the copy to be queued.
            await Task.Yield();
            var started = time.GetTimestamp();
            var primary = TimedAsync(answer, started);
            var shadowOutcome = await forwarder.SendAsync(copy, timeout);
            var shadowMs = time.GetElapsedTime(started).TotalMilliseconds;
            var (stableOutcome, stableMs) = await primary;
            var stableOk = stableOutcome.Status == ForwardStatus.Completed;
            var shadowOk = shadowOutcome.Status == ForwardStatus.Completed;
            PairComparison? comparison = null;
            if (stableOk && shadowOk)
            {
                using var limit = new CancellationTokenSource(timeout);
                var hint = await hints.GetAsync(tenant, model, stable, key, limit.Token);
                comparison = ShadowComparison.Compare(stableOutcome.Completed!.Outputs, shadowOutcome.Completed!.Outputs, hint);
            }

            windows.Record(tenant, model, stable, shadow, new MirrorResult(!stableOk, !shadowOk, stableOk ? stableMs : null, shadowOk ? shadowMs : null, comparison));
            metrics.Mirrored(tenant, model, !shadowOk ? "shadow_error" : !stableOk ? "stable_error" : comparison!.Value.Kind == ComparisonKind.Incomparable ? "incomparable" : "compared");
            if (comparison is { Kind: not ComparisonKind.Incomparable } c)
            {
                metrics.Compared(tenant, model, c.Rows, c.AgreedRows, c.Values, c.AbsDiffSum);
            }
        }
        catch (Exception ex)
        {
            // A mirror must never reach the caller; what went wrong is logged and the copy counted as the shadow's failure.
            windows.Record(tenant, model, stable, shadow, new MirrorResult(false, true, null, null, null));
            metrics.Mirrored(tenant, model, "shadow_error");
            LogMirrorFailed(logger, model, shadow, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<(ForwardOutcome Outcome, double Ms)> TimedAsync(Task<ForwardOutcome> answer, long started)
    {
        var outcome = await answer;
        return (outcome, time.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(EventId = GatewayLogEvents.ShadowMirrorFailed, Level = LogLevel.Warning, Message = "A mirrored request to {Model} v{Version} failed in the gateway")]
    private static partial void LogMirrorFailed(ILogger logger, string model, int version, Exception exception);
}
