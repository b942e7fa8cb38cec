using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.Registry.Api;

/// <summary>
/// The tenant a read looks at. A key of the platform tenant (<see cref="Caller.IsPlatform"/>) names any tenant with
/// <c>?tenant=</c>; any other key reads only its own, and naming another tenant finds nothing: the same 404 a missing
/// resource gets, so the answer never says whether another tenant has it. Writes always act on the key's own tenant.
/// </summary>
internal static class TenantScope
{
    /// <summary>The tenant whose resource a read of one resource looks at; null when the caller may not look at <paramref name="tenant"/>.</summary>
    public static string? Of(Caller caller, string? tenant) =>
        string.IsNullOrEmpty(tenant) || tenant == caller.TenantId ? caller.TenantId
        : caller.IsPlatform ? tenant
        : null;

    /// <summary>
    /// The tenants a listing covers: the named one, or, for a platform key naming none, every tenant (<c>All</c>);
    /// <c>Problem</c> is set (a 404 naming the tenant) when the caller may not look at the named tenant.
    /// </summary>
    public static (string? Tenant, bool All, IResult? Problem) OfListing(Caller caller, string? tenant)
    {
        if (string.IsNullOrEmpty(tenant))
        {
            return caller.IsPlatform ? (null, true, null) : (caller.TenantId, false, null);
        }

        return Of(caller, tenant) is { } scope
            ? (scope, false, null)
            : (null, false, Problems.NotFound($"tenant '{tenant}' not found"));
    }

    /// <summary>
    /// On a group's writes: <c>?tenant=</c> naming another tenant is refused (400 naming <c>tenant</c>) rather than
    /// ignored, so a platform key never changes its own tenant's model of the same name while meaning another's.
    /// </summary>
    public static ValueTask<object?> OwnTenantWrites(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.Request.Query.TryGetValue("tenant", out var named) && named.ToString() is { Length: > 0 } tenant
            && tenant != Caller.From(http.User).TenantId)
        {
            return ValueTask.FromResult<object?>(FieldProblem.For("tenant", "changes act on the key's own tenant only; 'tenant' is accepted on reads"));
        }

        return next(context);
    }
}
