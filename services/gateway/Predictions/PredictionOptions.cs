using System.ComponentModel.DataAnnotations;
using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Predictions;

/// <summary>Asynchronous predictions: how long results are kept, how they are computed, and what priority each tenant may ask for.</summary>
public sealed class PredictionOptions : IValidatableObject
{
    public const string Section = "Orbit:Predictions";

    /// <summary>How long a prediction (pending or done) and its idempotency key are kept in Redis.</summary>
    [Range(1, 24 * 365)]
    public int ResultTtlHours { get; set; } = 24;

    /// <summary>How many predictions each gateway computes at once (the pending queue's prefetch).</summary>
    [Range(1, 4096)]
    public int Concurrency { get; set; } = 64;

    /// <summary>How long one attempt waits for a worker's answer.</summary>
    [Range(100, 600_000)]
    public int AttemptTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>
    /// How often a prediction is tried while no worker can take it (none serving, busy, timed out),
    /// with growing pauses between, before it is recorded as failed (<c>unavailable</c>).
    /// </summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(1, 600_000)]
    public int RetryIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// A retried submission of a prediction still pending re-queues it when it was accepted this long
    /// ago and never reached the queue (its gateway died in between).
    /// </summary>
    [Range(1, 3600)]
    public int RequeueAfterSeconds { get; set; } = 30;

    /// <summary>The highest priority a tenant's requests may ask for unless listed in <see cref="TenantMaxPriority"/>.</summary>
    [Range(InferencePriority.Batch, InferencePriority.RealTime)]
    public int DefaultMaxPriority { get; set; } = InferencePriority.Asynchronous;

    /// <summary>Per tenant, the highest priority its requests may ask for (e.g. <c>RealTime</c> = 9 for a tenant whose events are latency-bound).</summary>
    public Dictionary<string, int> TenantMaxPriority { get; set; } = [];

    public TimeSpan ResultTtl => TimeSpan.FromHours(ResultTtlHours);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (tenant, priority) in TenantMaxPriority)
        {
            if (priority is < InferencePriority.Batch or > InferencePriority.RealTime)
            {
                yield return new ValidationResult(
                    $"TenantMaxPriority:{tenant} must be between {InferencePriority.Batch} and {InferencePriority.RealTime}, got {priority}", [nameof(TenantMaxPriority)]);
            }
        }
    }
}
