using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Orbit.Retrainer.Registration;

namespace Orbit.Retrainer.Auth;

/// <summary>The retrainer's API keys, checked with the registry it registers versions in.</summary>
internal sealed class RegistryKeyResolver(IHttpClientFactory clients, IOptions<RetrainerOptions> options, TimeProvider time)
    : RegistryWhoAmIResolver(clients, time)
{
    protected override Uri WhoAmI { get; } = new(new Uri(options.Value.RegistryUrl.TrimEnd('/') + "/"), "v1/auth/whoami");

    protected override string HttpClientName => RegistryClient.HttpClientName;
}
