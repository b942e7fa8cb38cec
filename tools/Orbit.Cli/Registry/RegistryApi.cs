using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Registry;

/// <summary>
/// The registry's HTTP API, typed with Orbit.Contracts. Every call answers with the value and the
/// JSON as received (for <c>--json</c>), or the problem the registry returned; only a registry that
/// cannot be reached throws (<see cref="HttpRequestException"/>).
/// </summary>
internal sealed partial class RegistryApi(HttpClient http, RegistryConnection connection)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public RegistryConnection Connection => connection;

    /// <summary>The client the command runs with (the retrain commands call the retrainer through it).</summary>
    public HttpClient Http => http;

    public Task<ApiResult<CallerIdentity>> WhoAmIAsync(CancellationToken ct) => SendAsync<CallerIdentity>(HttpMethod.Get, "v1/auth/whoami", null, ct);

    public Task<ApiResult<TenantView>> CreateTenantAsync(CreateTenant request, CancellationToken ct) => SendAsync<TenantView>(HttpMethod.Post, "v1/tenants", Body(request), ct);

    public Task<ApiResult<Page<TenantView>>> ListTenantsAsync(string? cursor, CancellationToken ct) =>
        SendAsync<Page<TenantView>>(HttpMethod.Get, "v1/tenants" + Query(("cursor", cursor)), null, ct);

    public Task<ApiResult<ApiKeyCreated>> CreateKeyAsync(CreateApiKey request, CancellationToken ct) => SendAsync<ApiKeyCreated>(HttpMethod.Post, "v1/keys", Body(request), ct);

    public Task<ApiResult<Page<ApiKeyView>>> ListKeysAsync(string? tenant, string? cursor, CancellationToken ct) =>
        SendAsync<Page<ApiKeyView>>(HttpMethod.Get, "v1/keys" + Query(("tenant", tenant), ("cursor", cursor)), null, ct);

    public Task<ApiResult<bool>> RevokeKeyAsync(string id, CancellationToken ct) => SendAsync<bool>(HttpMethod.Delete, "v1/keys/" + Segment(id), null, ct);

    /// <summary>One tenant's models, or (<paramref name="tenant"/> null, a platform key) every tenant's.</summary>
    public Task<ApiResult<Page<ModelView>>> ListModelsAsync(string? tenant, string? cursor, CancellationToken ct) =>
        SendAsync<Page<ModelView>>(HttpMethod.Get, "v1/models" + Query(("tenant", tenant), ("cursor", cursor)), null, ct);

    /// <summary>The key's own tenant's model, or (a platform key) <paramref name="tenant"/>'s.</summary>
    public Task<ApiResult<ModelView>> GetModelAsync(string name, string? tenant, CancellationToken ct) =>
        SendAsync<ModelView>(HttpMethod.Get, Model(name) + Query(("tenant", tenant)), null, ct);

    public Task<ApiResult<Page<VersionView>>> ListVersionsAsync(string name, string? tenant, string? cursor, CancellationToken ct) =>
        SendAsync<Page<VersionView>>(HttpMethod.Get, Model(name) + "/versions" + Query(("tenant", tenant), ("cursor", cursor)), null, ct);

    public Task<ApiResult<VersionView>> RetireVersionAsync(string name, int version, CancellationToken ct) =>
        SendAsync<VersionView>(HttpMethod.Post, $"{Model(name)}/versions/{version.ToString(CultureInfo.InvariantCulture)}/retire", null, ct);

    /// <summary>Uploads a version as multipart/form-data; the file is streamed from disk, never held in memory.</summary>
    public async Task<ApiResult<VersionView>> PushAsync(string name, string filePath, string? metadataJson, CancellationToken ct)
    {
        await using var file = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new MultipartFormDataContent();
        var filePart = new StreamContent(file, 81920);
        filePart.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(filePart, "file", Path.GetFileName(filePath));
        if (metadataJson is not null)
        {
            content.Add(new StringContent(metadataJson, Encoding.UTF8, "application/json"), "metadata");
        }

        // Expect: 100-continue lets the server refuse (413, 401, 403) before the body is sent, so a
        // refusal is an answer the CLI can print, not a connection cut off mid-upload.
        return await SendAsync<VersionView>(HttpMethod.Post, Model(name) + "/versions", content, ct, expectContinue: true);
    }

    public Task<ApiResult<DeploymentView>> SetDeploymentAsync(string name, SetDeployment request, CancellationToken ct) =>
        SendAsync<DeploymentView>(HttpMethod.Put, Model(name) + "/deployment", Body(request), ct);

    public Task<ApiResult<DeploymentView>> PromoteAsync(string name, CancellationToken ct) => SendAsync<DeploymentView>(HttpMethod.Post, Model(name) + "/deployment/promote", null, ct);

    public Task<ApiResult<DeploymentView>> RollbackAsync(string name, CancellationToken ct) => SendAsync<DeploymentView>(HttpMethod.Post, Model(name) + "/deployment/rollback", null, ct);

    public Task<ApiResult<DeploymentView>> UndeployAsync(string name, CancellationToken ct) => SendAsync<DeploymentView>(HttpMethod.Delete, Model(name) + "/deployment", null, ct);

    public Task<ApiResult<Page<AuditEntry>>> AuditAsync(AuditQuery query, string? cursor, CancellationToken ct) =>
        SendAsync<Page<AuditEntry>>(HttpMethod.Get, "v1/audit" + Query(
            ("model", query.Model),
            ("actor", query.Actor),
            ("from", query.From?.ToString("O", CultureInfo.InvariantCulture)),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("cursor", cursor)), null, ct);

    public Task<ApiResult<Orbit.Contracts.Rollouts.RolloutView>> StartRolloutAsync(string name, Orbit.Contracts.Rollouts.StartRollout request, CancellationToken ct) =>
        SendAsync<Orbit.Contracts.Rollouts.RolloutView>(HttpMethod.Post, Model(name) + "/rollout", Body(request), ct);

    public Task<ApiResult<Orbit.Contracts.Rollouts.RolloutView>> RolloutAsync(string name, int decisions, CancellationToken ct) =>
        SendAsync<Orbit.Contracts.Rollouts.RolloutView>(HttpMethod.Get, Model(name) + "/rollout" + Query(("decisions", decisions.ToString(CultureInfo.InvariantCulture))), null, ct);

    /// <summary><c>pause</c>, <c>resume</c> or <c>abort</c>.</summary>
    public Task<ApiResult<Orbit.Contracts.Rollouts.RolloutView>> ChangeRolloutAsync(string name, string verb, CancellationToken ct) =>
        SendAsync<Orbit.Contracts.Rollouts.RolloutView>(HttpMethod.Post, Model(name) + "/rollout/" + verb, null, ct);

    /// <summary>The live inference workers (<c>GET /v1/workers</c>, answered by the gateway).</summary>
    public Task<ApiResult<WorkerList>> WorkersAsync(CancellationToken ct) => SendAsync<WorkerList>(HttpMethod.Get, "v1/workers", null, ct);

    /// <summary>A model's drift state (<c>GET /v1/drift/{model}</c>, answered by the drift monitor through the gateway), narrowed to one feature when given.</summary>
    public Task<ApiResult<Orbit.Contracts.Drift.DriftModelView>> DriftAsync(string name, string? feature, CancellationToken ct) =>
        SendAsync<Orbit.Contracts.Drift.DriftModelView>(HttpMethod.Get, "v1/drift/" + Segment(name) + Query(("feature", feature)), null, ct);

    public Task<ApiResult<Orbit.Contracts.Drift.DriftVersionView>> DriftVersionAsync(string name, int version, string? feature, CancellationToken ct) =>
        SendAsync<Orbit.Contracts.Drift.DriftVersionView>(HttpMethod.Get,
            $"v1/drift/{Segment(name)}/versions/{version.ToString(CultureInfo.InvariantCulture)}" + Query(("feature", feature)), null, ct);

    /// <summary>
    /// Follows <c>nextCursor</c> until the end (or until <paramref name="max"/> items), answering with one
    /// page that holds every item and, for <c>--json</c>, that page serialized.
    /// </summary>
    public static async Task<ApiResult<Page<T>>> AllAsync<T>(Func<string?, Task<ApiResult<Page<T>>>> page, int max = int.MaxValue)
    {
        var items = new List<T>();
        string? cursor = null;
        do
        {
            var result = await page(cursor);
            if (!result.IsOk)
            {
                return result;
            }

            items.AddRange(result.Value!.Items);
            cursor = result.Value.NextCursor;
        }
        while (cursor is not null && items.Count < max);

        var all = new Page<T>(items.Count > max ? items[..max] : items, null);
        return ApiResult<Page<T>>.Ok(all, JsonSerializer.Serialize(all, Json));
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(connection.Url, path)) { Content = content };
        request.Headers.ExpectContinue = expectContinue ? true : null;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return ApiResult<T>.Failed(Problem.From(response.StatusCode, body));
        }

        if (typeof(T) == typeof(bool))
        {
            // A success with nothing to say (204 No Content).
            return ApiResult<T>.Ok((T)(object)true, body.Length == 0 ? "{}" : body);
        }

        var value = JsonSerializer.Deserialize<T>(body, Json)
            ?? throw new JsonException($"the registry answered {method} /{path} with null");
        return ApiResult<T>.Ok(value, body);
    }

    private static JsonContent Body<T>(T value) => JsonContent.Create(value, options: Json);

    private static string Model(string name) => "v1/models/" + Segment(name);

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}

internal sealed record WorkerList(IReadOnlyList<Orbit.Contracts.Workers.WorkerHeartbeat> Items);

/// <summary>The filters of <c>GET /v1/audit</c> that the CLI offers.</summary>
internal sealed record AuditQuery(string? Model, string? Actor, DateTimeOffset? From, int? Limit);
