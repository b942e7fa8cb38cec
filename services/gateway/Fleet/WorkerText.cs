using Orbit.Hosting.Errors;

namespace Orbit.Gateway.Fleet;

/// <summary>
/// What a worker says about a failure stays in the gateway's log: the client gets a stable message
/// and the correlation id (<see cref="ClientSafeText"/>).
/// </summary>
internal static class WorkerText
{
    public static string Hide(HttpContext context, string stableMessage, string? workerDetail) =>
        ClientSafeText.Hide(context.RequestServices.GetRequiredService<ILogger<WorkerFleet>>(), stableMessage, workerDetail);
}
