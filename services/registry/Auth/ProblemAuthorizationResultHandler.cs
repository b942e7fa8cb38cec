using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Orbit.Hosting.Errors;

namespace Orbit.Registry.Auth;

/// <summary>Explains a refusal: a 401 says how to send a key, a 403 names the role the call needs.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var presented = Orbit.Hosting.Security.ApiKeyHeader.Read(context.Request.Headers) is not null;
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                type: ProblemTypes.Unauthorized,
                title: "Unauthorized",
                detail: presented
                    ? "The API key is not valid or has been revoked."
                    : "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.").ExecuteAsync(context);
        }

        if (result.Forbidden)
        {
            var needed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy;
            var role = context.User.Identity?.IsAuthenticated == true ? Roles.Name(Caller.From(context.User).Role) : "none";
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                type: ProblemTypes.Forbidden,
                title: "Forbidden",
                detail: needed is null
                    ? $"This key (role '{role}') may not do this."
                    : $"This key has role '{role}'; this call needs '{needed.ToLowerInvariant()}' or above.").ExecuteAsync(context);
        }

        return _default.HandleAsync(next, context, policy, result);
    }
}
