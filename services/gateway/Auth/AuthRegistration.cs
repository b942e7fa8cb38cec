using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Orbit.Gateway.Auth;

internal static class AuthRegistration
{
    public const string Predictor = "predictor";
    public const string Viewer = "viewer";

    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddSingleton<KeyValidator>();
        services.AddHttpClient(KeyValidator.HttpClientName, (sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.RegistryUrl);
            http.Timeout = TimeSpan.FromSeconds(5);
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OipAuthorizationResultHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Viewer, p => p.RequireAssertion(c => c.User.Identity?.IsAuthenticated == true && Caller.From(c.User).AtLeast(Viewer)))
            .AddPolicy(Predictor, p => p.RequireAssertion(c => c.User.Identity?.IsAuthenticated == true && Caller.From(c.User).AtLeast(Predictor)));
        return services;
    }
}
