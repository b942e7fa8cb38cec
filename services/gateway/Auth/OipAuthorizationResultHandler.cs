using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Auth;

/// <summary>Refusals in the Open Inference Protocol's shape: <c>{"error": "…"}</c>.</summary>
internal sealed class OipAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            if (context.Items.ContainsKey(ApiKeyAuthenticationHandler.RegistryUnavailableItem))
            {
                return OipError.Write(context, StatusCodes.Status503ServiceUnavailable, "API keys cannot be checked: the registry is not reachable");
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            var presented = Orbit.Hosting.Security.ApiKeyHeader.Read(context.Request.Headers) is not null;
            return OipError.Write(context, StatusCodes.Status401Unauthorized, presented
                ? "the API key is not valid or has been revoked"
                : "an API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
        }

        if (result.Forbidden)
        {
            var role = Caller.From(context.User).Role;
            return OipError.Write(context, StatusCodes.Status403Forbidden, $"this key has role '{role}', which may not do this");
        }

        return _default.HandleAsync(next, context, policy, result);
    }
}
