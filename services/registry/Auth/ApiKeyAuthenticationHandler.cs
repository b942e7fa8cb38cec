using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;

namespace Orbit.Registry.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>. Calls the
/// gateway forwards carry the caller's own key, so they are checked the same way.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ApiKeyHeader.Read(Request.Headers);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await keys.AuthenticateAsync(key, Context.RequestAborted);
        return caller is null
            ? AuthenticateResult.Fail("The API key is not valid or has been revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
