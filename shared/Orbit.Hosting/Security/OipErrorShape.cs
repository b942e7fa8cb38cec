namespace Orbit.Hosting.Security;

/// <summary>
/// Endpoint metadata: refusals on this endpoint take the Open Inference Protocol's shape,
/// <c>{"error": "…"}</c>, rather than a problem details body (the gateway's <c>/v2</c> routes).
/// </summary>
public sealed class OipErrorShape
{
    public static readonly OipErrorShape Instance = new();

    private OipErrorShape()
    {
    }
}
