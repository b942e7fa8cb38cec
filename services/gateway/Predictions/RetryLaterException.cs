namespace Orbit.Gateway.Predictions;

/// <summary>No worker could take the prediction this time (none serving, busy, no answer in time): it is tried again later.</summary>
internal sealed class RetryLaterException(string reason) : Exception(reason);
