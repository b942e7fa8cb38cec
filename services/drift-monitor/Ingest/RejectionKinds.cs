namespace Orbit.DriftMonitor.Ingest;

/// <summary>Why a stream message was rejected, as counted (metrics, the store); the full reason goes to the error queue.</summary>
internal static class RejectionKinds
{
    public const string Malformed = "malformed";
    public const string Invalid = "invalid";
    public const string UnknownModel = "unknown_model";
    public const string BaselineMismatch = "baseline_mismatch";
}
