using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orbit.Hosting.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> through the
/// service's <see cref="IApiKeyResolver"/>. Calls the gateway forwards carry the caller's own key,
/// so they are checked the same way.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyResolver keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Set on a request whose key could not be checked, so the refusal is a 503 rather than a 401.</summary>
    public const string UnavailableItem = "orbit.keys-unavailable";

    /// <summary>Set (to the wait) on a request whose key was not looked up because its address looked up too many unknown keys.</summary>
    public const string ThrottledItem = "orbit.keys-throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ApiKeyHeader.Read(Request.Headers);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var resolution = await keys.ResolveAsync(key, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        switch (resolution.Check)
        {
            case KeyCheck.Valid:
                return AuthenticateResult.Success(new AuthenticationTicket(resolution.Caller!.ToPrincipal(SchemeName), SchemeName));
            case KeyCheck.Unavailable:
                Context.Items[UnavailableItem] = true;
                return AuthenticateResult.Fail("API keys cannot be checked right now.");
            case KeyCheck.Throttled:
                Context.Items[ThrottledItem] = resolution.RetryAfter;
                return AuthenticateResult.Fail("Too many unknown API keys from this address.");
            default:
                return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }
    }
}
