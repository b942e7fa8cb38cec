using System.Security.Claims;

namespace Orbit.Hosting.Security;

/// <summary>The authenticated API key behind a request: its id, its tenant and its role.</summary>
public sealed record Caller(string KeyId, string TenantId, Role Role)
{
    /// <summary>The tenant whose keys run the platform: they manage tenants and see every tenant's workers.</summary>
    public const string PlatformTenant = "admin";

    private const string TenantClaim = "tenant";

    public bool IsPlatform => TenantId == PlatformTenant;

    public bool IsPlatformAdmin => IsPlatform && Role == Role.Admin;

    /// <summary>How audit records and <c>createdBy</c> fields name this caller.</summary>
    public string Actor => "key:" + KeyId;

    public bool AtLeast(Role role) => Role >= role;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier)!,
        user.FindFirstValue(TenantClaim)!,
        Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!));

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, KeyId),
            new Claim(TenantClaim, TenantId),
            new Claim(ClaimTypes.Role, Role.ToString()),
        ], scheme));
}
