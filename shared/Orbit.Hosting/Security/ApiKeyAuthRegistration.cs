using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Orbit.Hosting.Security;

/// <summary>Policy names: a call that requires one is open to keys of that role or above.</summary>
public static class Policies
{
    public const string Viewer = "viewer";
    public const string Predictor = "predictor";
    public const string Deployer = "deployer";
    public const string Admin = "admin";
}

public static class ApiKeyAuthRegistration
{
    /// <summary>
    /// API-key authentication on every endpoint that does not opt out (<c>AllowAnonymous</c>), a
    /// policy per role, and refusals that explain themselves. <typeparamref name="TResolver"/> looks keys up.
    /// </summary>
    public static IServiceCollection AddOrbitApiKeyAuth<TResolver>(this IServiceCollection services)
        where TResolver : class, IApiKeyResolver
    {
        services.AddSingleton<TResolver>();
        services.AddSingleton<IApiKeyResolver>(sp => sp.GetRequiredService<TResolver>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationRefusals>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireAssertion(c => AtLeast(c, Role.Viewer)))
            .AddPolicy(Policies.Predictor, p => p.RequireAssertion(c => AtLeast(c, Role.Predictor)))
            .AddPolicy(Policies.Deployer, p => p.RequireAssertion(c => AtLeast(c, Role.Deployer)))
            .AddPolicy(Policies.Admin, p => p.RequireAssertion(c => AtLeast(c, Role.Admin)));
        return services;
    }

    private static bool AtLeast(AuthorizationHandlerContext context, Role role) =>
        context.User.Identity?.IsAuthenticated == true && Caller.From(context.User).AtLeast(role);
}
