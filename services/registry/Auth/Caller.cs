using System.Security.Claims;

namespace Orbit.Registry.Auth;

/// <summary>The authenticated key behind a request.</summary>
internal sealed record Caller(string KeyId, string TenantId, Role Role)
{
    /// <summary>The tenant whose admins run the platform: they manage tenants and read any artifact.</summary>
    public const string PlatformTenant = "admin";

    public bool IsPlatform => TenantId == PlatformTenant;

    public bool IsPlatformAdmin => IsPlatform && Role == Role.Admin;

    public string Actor => "key:" + KeyId;

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.FindFirstValue("tenant")!, Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!));

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, KeyId),
            new Claim("tenant", TenantId),
            new Claim(ClaimTypes.Role, Role.ToString()),
        ], scheme));
}
