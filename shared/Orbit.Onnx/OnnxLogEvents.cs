namespace Orbit.Onnx;

/// <summary>Every log event id of Orbit.Onnx, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class OnnxLogEvents
{
    public const int OrtMessage = 7100;
    public const int ProviderFallback = 7101;
}
