using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Inference;

internal enum ForwardStatus
{
    Completed,
    Rejected,

    /// <summary>No answer within the request's timeout.</summary>
    TimedOut,

    /// <summary>The worker faulted instead of answering, or its answer lacked this request.</summary>
    WorkerFailed,

    /// <summary>The model's waiting queue at this gateway was full: not sent.</summary>
    QueueFull,

    /// <summary>The request would be a bus message over the broker's limit: not sent.</summary>
    TooLarge,
}

/// <summary>How a forwarded inference ended: one value, whatever happened, never an exception.</summary>
internal readonly record struct ForwardOutcome(ForwardStatus Status, InferenceCompleted? Completed = null, InferenceRejected? Rejected = null, string? Detail = null)
{
    public static ForwardOutcome Of(InferenceCompleted completed) => new(ForwardStatus.Completed, Completed: completed);

    public static ForwardOutcome Of(InferenceRejected rejected) => new(ForwardStatus.Rejected, Rejected: rejected);

    public static ForwardOutcome TimedOut { get; } = new(ForwardStatus.TimedOut);

    public static ForwardOutcome WorkerFailed(string detail) => new(ForwardStatus.WorkerFailed, Detail: detail);

    public static ForwardOutcome QueueFull(string detail) => new(ForwardStatus.QueueFull, Detail: detail);

    public static ForwardOutcome TooLarge(string detail) => new(ForwardStatus.TooLarge, Detail: detail);
}
