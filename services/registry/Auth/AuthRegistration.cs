using Microsoft.AspNetCore.Authentication;

namespace Orbit.Registry.Auth;

internal static class AuthRegistration
{
    public static IServiceCollection AddRegistryAuth(this IServiceCollection services)
    {
        services.AddSingleton<KeyStore>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(nameof(Role.Viewer), p => p.RequireAssertion(c => AtLeast(c.User, Role.Viewer)))
            .AddPolicy(nameof(Role.Predictor), p => p.RequireAssertion(c => AtLeast(c.User, Role.Predictor)))
            .AddPolicy(nameof(Role.Deployer), p => p.RequireAssertion(c => AtLeast(c.User, Role.Deployer)))
            .AddPolicy(nameof(Role.Admin), p => p.RequireAssertion(c => AtLeast(c.User, Role.Admin)));
        return services;
    }

    private static bool AtLeast(System.Security.Claims.ClaimsPrincipal user, Role role) =>
        user.Identity?.IsAuthenticated == true && Caller.From(user).Role >= role;
}
