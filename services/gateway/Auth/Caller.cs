using System.Security.Claims;

namespace Orbit.Gateway.Auth;

internal sealed record Caller(string KeyId, string TenantId, string Role)
{
    public const string PlatformTenant = "admin";

    private static readonly string[] Ranks = ["viewer", "predictor", "deployer", "admin"];

    public bool IsPlatform => TenantId == PlatformTenant;

    public bool AtLeast(string role) => Array.IndexOf(Ranks, Role) >= Array.IndexOf(Ranks, role);

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.FindFirstValue("tenant")!, user.FindFirstValue(ClaimTypes.Role)!);

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, KeyId),
            new Claim("tenant", TenantId),
            new Claim(ClaimTypes.Role, Role),
        ], scheme));
}
