using System.Security.Claims;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Fleet;

internal static class FleetEndpoints
{
    /// <summary><c>GET /v1/workers</c>: the live fleet. Platform keys see every worker; others see only their own models on each.</summary>
    public static void MapFleetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/workers", (ClaimsPrincipal user, WorkerFleet fleet) =>
        {
            var caller = Caller.From(user);
            var workers = caller.IsPlatform
                ? fleet.Workers
                : fleet.Workers.Select(w => w with { LoadedModels = w.LoadedModels.Where(m => m.TenantId == caller.TenantId).ToList() }).ToList();
            return TypedResults.Ok(new { items = workers });
        }).RequireAuthorization(Policies.Viewer);
    }
}
