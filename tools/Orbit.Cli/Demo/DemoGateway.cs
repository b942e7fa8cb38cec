using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Retraining;
using Orbit.Contracts.Rollouts;

namespace Orbit.Cli.Demo;

/// <summary>Everything the demo asks of the platform, through the gateway only, as any client would.</summary>
internal sealed class DemoGateway(HttpClient http, string model) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static DemoGateway Create(Uri gateway, string key, string model)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new DemoGateway(http, model);
    }

    public Uri Address => http.BaseAddress!;

    public async Task<bool> ReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("health/ready", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<int> WorkersAsync(CancellationToken ct) =>
        (await GetAsync<JsonElement>("v1/workers", ct)).GetProperty("items").GetArrayLength();

    public Task<AttemptView> RequestRetrainAsync(string reason, CancellationToken ct) =>
        SendAsync<AttemptView>(HttpMethod.Post, $"v1/retrains/{model}", new RetrainRequestBody(reason), ct);

    public async Task<IReadOnlyList<AttemptView>> AttemptsAsync(CancellationToken ct) =>
        (await GetAsync<AttemptPage>($"v1/retrains/{model}", ct)).Items;

    public Task<DeploymentView> DeployAsync(int version, CancellationToken ct) =>
        SendAsync<DeploymentView>(HttpMethod.Put, $"v1/models/{model}/deployment", new SetDeployment(version), ct);

    public Task<DeploymentView> DeploymentAsync(CancellationToken ct) => GetAsync<DeploymentView>($"v1/models/{model}/deployment", ct);

    public Task<JsonElement> SetPolicyAsync(RolloutPolicy policy, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Put, $"v1/models/{model}/rollout-policy", policy, ct);

    public async Task<RolloutView?> RolloutAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync($"v1/models/{model}/rollout?decisions=200", ct);
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await ReadAsync<RolloutView>(response, ct);
    }

    public async Task<IReadOnlyList<VersionView>> VersionsAsync(CancellationToken ct) =>
        (await GetAsync<Page<VersionView>>($"v1/models/{model}/versions", ct)).Items;

    public async Task<DriftVersionView?> DriftAsync(int version, CancellationToken ct)
    {
        using var response = await http.GetAsync($"v1/drift/{model}/versions/{version}", ct);
        return response.IsSuccessStatusCode ? await ReadAsync<DriftVersionView>(response, ct) : null;
    }

    public async Task<bool> ServedAsync(int version, CancellationToken ct)
    {
        using var response = await http.GetAsync($"v2/models/{model}/versions/{version}/ready", ct);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(ct)).Contains("\"ready\":true", StringComparison.Ordinal);
    }

    public async Task<BatchJobView> SubmitBatchAsync(string csvPath, CancellationToken ct)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(model), "model" },
            { new StringContent("id"), "keep" },
            { new StringContent("csv"), "outputFormat" },
        };
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(csvPath, ct));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", Path.GetFileName(csvPath));
        using var response = await http.PostAsync("v1/batch-jobs", content, ct);
        return await ReadAsync<BatchJobView>(response, ct);
    }

    public Task<BatchJobView> BatchAsync(string id, CancellationToken ct) => GetAsync<BatchJobView>($"v1/batch-jobs/{id}", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new DemoException($"{response.RequestMessage?.Method} /{response.RequestMessage?.RequestUri?.PathAndQuery.TrimStart('/')} answered {(int)response.StatusCode}: {body}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A step of the demo that could not be done; the message says what the platform answered.</summary>
internal sealed class DemoException(string message) : Exception(message);
