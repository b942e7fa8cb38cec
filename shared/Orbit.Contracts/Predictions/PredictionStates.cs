namespace Orbit.Contracts.Predictions;

/// <summary>The states of an asynchronous prediction, as <c>status</c> in its view and its result events.</summary>
public static class PredictionStates
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>The stable <c>reason</c> codes of <see cref="PredictionFailed"/>.</summary>
public static class PredictionFailureReasons
{
    public const string InvalidInput = "invalid_input";
    public const string ModelNotFound = "model_not_found";
    public const string ModelError = "model_error";
    public const string Unavailable = "unavailable";
}
