using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;

namespace Orbit.Retrainer.Registration;

/// <summary>
/// What the retrainer asks of the registry, with the model tenant's key: the model and its versions, a version's
/// artifact by digest (SHA-256 verified, as the workers do), and the upload of a new version (multipart, as
/// <c>./orbit models push</c> does).
/// </summary>
internal sealed class RegistryClient(IHttpClientFactory http, RegistryKeys keys)
{
    public const string HttpClientName = "orbit-registry";

    /// <summary>The model, or null when the tenant has no such model.</summary>
    public Task<ModelView?> GetModelAsync(string tenant, string model, CancellationToken cancellationToken) =>
        GetAsync<ModelView>(tenant, $"v1/models/{Uri.EscapeDataString(model)}", cancellationToken);

    public Task<VersionView?> GetVersionAsync(string tenant, string model, int version, CancellationToken cancellationToken) =>
        GetAsync<VersionView>(tenant, $"v1/models/{Uri.EscapeDataString(model)}/versions/{version}", cancellationToken);

    /// <summary>The artifact's bytes, refused unless they hash to <paramref name="digest"/>.</summary>
    public async Task<byte[]> DownloadAsync(string tenant, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(tenant, () => new HttpRequestMessage(HttpMethod.Get, $"v1/artifacts/{digest}"), cancellationToken);
        await EnsureAsync(response, $"artifact {digest}");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var actual = Digest.Of(SHA256.HashData(bytes));
        return actual == digest
            ? bytes
            : throw new RegistryException((int)response.StatusCode, $"The registry sent bytes for {digest} that hash to {actual}; refused.");
    }

    /// <summary>Registers a new version (<c>POST /v1/models/{name}/versions</c>, parts <c>file</c> and <c>metadata</c>).</summary>
    public async Task<VersionView> UploadAsync(string tenant, string model, byte[] onnx, JsonElement metadata, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(tenant, () =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(onnx);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            var meta = new StringContent(metadata.GetRawText());
            meta.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(meta, "metadata", "metadata.json");
            return new HttpRequestMessage(HttpMethod.Post, $"v1/models/{Uri.EscapeDataString(model)}/versions") { Content = form };
        }, cancellationToken);
        await EnsureAsync(response, $"the upload of a version of {model}");
        return (await response.Content.ReadFromJsonAsync<VersionView>(cancellationToken))!;
    }

    /// <summary>
    /// Puts a registered version forward (<c>POST /v1/models/{name}/proposals</c>): the registry rolls it out by the
    /// model's rollout policy and says whether a canary started, and why not.
    /// </summary>
    public async Task<Orbit.Contracts.Rollouts.ProposalAnswer> ProposeAsync(string tenant, string model, int version, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(tenant, () => new HttpRequestMessage(HttpMethod.Post, $"v1/models/{Uri.EscapeDataString(model)}/proposals")
        {
            Content = JsonContent.Create(new Orbit.Contracts.Rollouts.ProposeVersion(version, reference)),
        }, cancellationToken);
        await EnsureAsync(response, $"the proposal of version {version} of {model}");
        return (await response.Content.ReadFromJsonAsync<Orbit.Contracts.Rollouts.ProposalAnswer>(cancellationToken))!;
    }

    private async Task<T?> GetAsync<T>(string tenant, string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await SendAsync(tenant, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, path);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string tenant, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var key = await keys.ForTenantAsync(tenant, cancellationToken);
        using var request = create();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            return await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(0, $"The registry could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(0, "The registry did not answer in time.");
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new RegistryException((int)response.StatusCode,
                $"The registry answered {(int)response.StatusCode} for {what}: {(body.Length > 500 ? body[..500] : body)}");
        }
    }
}
