using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Registry.Tests.Support;

/// <summary>The registry's REST API as a test calls it.</summary>
public sealed class RegistryClient(HttpClient http) : IDisposable
{
    public const string AdminKey = "orbit-test-admin-key-000000000001";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http => http;

    public Task<HttpResponseMessage> UploadAsync(string model, byte[] onnx, string? metadata = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        if (metadata is not null)
        {
            form.Add(new StringContent(metadata, System.Text.Encoding.UTF8, "application/json"), "metadata");
        }

        return http.PostAsync($"/v1/models/{model}/versions", form);
    }

    public async Task<VersionView> PushAsync(string model, byte[] onnx, string? metadata = null)
    {
        using var response = await UploadAsync(model, onnx, metadata);
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<VersionView>(Json))!;
    }

    public async Task<DeploymentView> DeployAsync(string model, int stable, int? candidate = null, int weight = 0)
    {
        using var response = await http.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(stable, candidate, weight), Json);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<DeploymentView>(Json))!;
    }

    public async Task<ApiKeyCreated> CreateKeyAsync(string role, string? tenant = null)
    {
        using var response = await http.PostAsJsonAsync("/v1/keys", new CreateApiKey(role, tenant), Json);
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ApiKeyCreated>(Json))!;
    }

    public async Task CreateTenantAsync(string id)
    {
        using var response = await http.PostAsJsonAsync("/v1/tenants", new CreateTenant(id), Json);
        await ExpectAsync(response, HttpStatusCode.Created);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string? model = null)
    {
        var page = await http.GetFromJsonAsync<Page<AuditEntry>>("/v1/audit?limit=500" + (model is null ? "" : "&model=" + model), Json);
        return page!.Items;
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new Xunit.Sdk.XunitException($"expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The problem detail's status and <c>field</c>.</summary>
    public static async Task<(HttpStatusCode Status, string? Field, string Body)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        string? field = null;
        if (body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("field", out var f))
        {
            field = f.GetString();
        }

        return (response.StatusCode, field, body);
    }

    public void Dispose() => http.Dispose();
}
