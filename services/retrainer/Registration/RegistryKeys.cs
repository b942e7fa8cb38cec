using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;

namespace Orbit.Retrainer.Registration;

/// <summary>
/// The registry key for a tenant's model: <c>Orbit:Retrainer:TenantKeys:{tenant}</c>; else <c>RegistryKey</c> when it
/// belongs to that tenant; else, when <c>RegistryKey</c> is an admin key of the platform tenant (what <c>./orbit up</c>
/// gives), a deployer key the retrainer issues itself for that tenant once per process (description
/// <c>orbit-retrainer</c>), kept in memory only.
/// </summary>
internal sealed partial class RegistryKeys(IHttpClientFactory http, IOptions<RetrainerOptions> options, ILogger<RegistryKeys> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _issued = new(StringComparer.Ordinal);
    private CallerIdentity? _configured;

    /// <exception cref="RegistryException">No key can be had for the tenant.</exception>
    public async Task<string> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.TenantKeys.TryGetValue(tenant, out var key) && key.Length > 0)
        {
            return key;
        }

        if (string.IsNullOrEmpty(settings.RegistryKey))
        {
            throw new RegistryException(0, $"No registry key for tenant '{tenant}': set Orbit:Retrainer:TenantKeys:{tenant} or Orbit:Retrainer:RegistryKey.");
        }

        var identity = _configured ??= await WhoAmIAsync(settings.RegistryKey, cancellationToken);
        if (identity.TenantId == tenant)
        {
            return settings.RegistryKey;
        }

        if (identity is not { TenantId: "admin", Role: "admin" })
        {
            throw new RegistryException(0,
                $"Orbit:Retrainer:RegistryKey belongs to tenant '{identity.TenantId}', not '{tenant}', and is not a platform admin key; set Orbit:Retrainer:TenantKeys:{tenant}.");
        }

        var issued = _issued.GetOrAdd(tenant, t => new Lazy<Task<string>>(() => IssueAsync(t, settings.RegistryKey)));
        try
        {
            return await issued.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (issued.Value.IsFaulted)
        {
            _issued.TryRemove(tenant, out _);
            throw;
        }
    }

    private async Task<CallerIdentity> WhoAmIAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/auth/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(RegistryClient.HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(0, $"The registry could not be reached: {ex.Message}");
        }

        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException((int)response.StatusCode, $"The registry refused Orbit:Retrainer:RegistryKey ({(int)response.StatusCode}).");
        }

        return (await response.Content.ReadFromJsonAsync<CallerIdentity>(cancellationToken))!;
    }

    private async Task<string> IssueAsync(string tenant, string adminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/keys")
        {
            Content = JsonContent.Create(new { tenantId = tenant, role = "deployer", description = "orbit-retrainer" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(RegistryClient.HttpClientName).SendAsync(request, CancellationToken.None);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(0, $"The registry could not be reached: {ex.Message}");
        }

        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException((int)response.StatusCode,
                $"The registry refused to issue a deployer key for tenant '{tenant}' ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        LogIssued(logger, tenant, body.GetProperty("keyId").GetString() ?? "");
        return body.GetProperty("key").GetString()!;
    }

    [LoggerMessage(EventId = RetrainerLogEvents.KeyIssued, Level = LogLevel.Information,
        Message = "Issued registry key {KeyId} (deployer) for tenant {TenantId} with the platform admin key")]
    private static partial void LogIssued(ILogger logger, string tenantId, string keyId);
}

/// <summary>The registry could not be asked, or refused; <see cref="Status"/> is its HTTP status (0: not asked).</summary>
internal sealed class RegistryException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
