using Microsoft.Extensions.Options;
using Orbit.DriftMonitor.Baselines;
using Orbit.Hosting.Security;

namespace Orbit.DriftMonitor.Auth;

/// <summary>The monitor's API keys, checked with the registry it reads baselines from.</summary>
internal sealed class RegistryKeyResolver(IHttpClientFactory clients, IOptions<DriftMonitorOptions> options, TimeProvider time)
    : RegistryWhoAmIResolver(clients, time)
{
    protected override Uri WhoAmI { get; } = new(new Uri(options.Value.RegistryUrl), "v1/auth/whoami");

    protected override string HttpClientName => BaselineSource.HttpClientName;
}
