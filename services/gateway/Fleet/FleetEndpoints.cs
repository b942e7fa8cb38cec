using System.Security.Claims;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Fleet;

internal static class FleetEndpoints
{
    /// <summary><c>GET /v1/workers</c>: the live fleet. Keys of the platform tenant see every worker; others see <see cref="TenantFleetView"/>.</summary>
    public static void MapFleetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/workers", (ClaimsPrincipal user, WorkerFleet fleet) =>
        {
            var caller = Caller.From(user);
            var workers = caller.IsPlatform ? fleet.Workers : TenantFleetView.For(caller.TenantId, fleet.Workers);
            return TypedResults.Ok(new { items = workers });
        }).RequireAuthorization(Policies.Viewer);
    }
}
