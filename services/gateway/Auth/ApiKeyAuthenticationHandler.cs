using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Auth;

/// <summary><c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>, checked with the registry.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyValidator keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string RegistryUnavailableItem = "orbit.registry-unavailable";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ApiKeyHeader.Read(Request.Headers);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var (check, caller) = await keys.ValidateAsync(key, Context.RequestAborted);
        switch (check)
        {
            case KeyCheck.Valid:
                return AuthenticateResult.Success(new AuthenticationTicket(caller!.ToPrincipal(SchemeName), SchemeName));
            case KeyCheck.RegistryUnavailable:
                Context.Items[RegistryUnavailableItem] = true;
                return AuthenticateResult.Fail("The registry, which checks keys, cannot be reached.");
            default:
                return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }
    }
}
