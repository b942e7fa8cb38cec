using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// A prediction request as any ingress read it: the model, an optional version and priority, the
/// OIP inputs (read and checked by <see cref="OipRequestReader"/>), the idempotency key if the
/// caller gave one (else the request's id serves), and where it came from (<c>http</c>, <c>rabbitmq</c>, <c>kafka</c>).
/// </summary>
internal sealed record Submission(string Model, string? Version, int? Priority, OipRequestReader.Request Request, string? IdempotencyKey, string Source);

/// <summary>Why a submission was refused: an HTTP status, the offending field, and a sentence.</summary>
internal sealed record SubmissionRefusal(int Status, string Field, string Detail);

/// <summary>The prediction a submission created or found again (<see cref="Created"/> false) with its work message, or why it was refused.</summary>
internal readonly record struct SubmissionOutcome(StoredPrediction? Prediction, bool Created, SubmissionRefusal? Refusal, Orbit.Contracts.Predictions.PredictionRequested? Message = null)
{
    public static SubmissionOutcome Refused(int status, string field, string detail) => new(null, false, new SubmissionRefusal(status, field, detail));
}
