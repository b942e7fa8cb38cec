using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Orbit.Hosting.Errors;

namespace Orbit.Hosting.Security;

/// <summary>
/// Explains a refusal: a 401 says how to send a key, a 403 names the role the call needs, a key
/// that could not be checked is a 503, and an address that presented too many unknown keys gets a
/// 429. Problem details everywhere, except on endpoints marked <see cref="OipErrorShape"/>, which
/// answer <c>{"error": "…"}</c>, and gRPC calls, which get the matching gRPC status (<see cref="GrpcErrorShape"/>).
/// </summary>
internal sealed class AuthorizationRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged)
        {
            if (context.Items.ContainsKey(ApiKeyAuthenticationHandler.UnavailableItem))
            {
                return Refuse(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable,
                    "Service Unavailable", "API keys cannot be checked: the registry is not reachable; retry shortly.");
            }

            if (context.Items.TryGetValue(ApiKeyAuthenticationHandler.ThrottledItem, out var wait) && wait is TimeSpan retryAfter)
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Refuse(context, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too Many Requests",
                    "Too many unknown API keys were presented from this address; retry later with a valid key.");
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            var presented = ApiKeyHeader.Read(context.Request.Headers) is not null;
            return Refuse(context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized", presented
                ? "The API key is not valid or has been revoked."
                : "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
        }

        if (result.Forbidden)
        {
            var needed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy;
            var role = context.User.Identity?.IsAuthenticated == true ? Roles.Name(Caller.From(context.User).Role) : "none";
            return Refuse(context, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", needed is null
                ? $"This key (role '{role}') may not do this."
                : $"This key has role '{role}'; this call needs '{needed}' or above.");
        }

        return _default.HandleAsync(next, context, policy, result);
    }

    private static Task Refuse(HttpContext context, int status, string type, string title, string detail)
    {
        if (GrpcErrorShape.Applies(context))
        {
            return GrpcErrorShape.Write(context, status, detail);
        }

        return OipErrorShape.Applies(context)
            ? OipErrorShape.Write(context, status, detail)
            : Results.Problem(statusCode: status, type: type, title: title, detail: detail).ExecuteAsync(context);
    }
}
