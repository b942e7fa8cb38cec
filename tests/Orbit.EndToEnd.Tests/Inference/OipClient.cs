using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orbit.EndToEnd.Tests.Inference;

internal sealed record OipAnswer(HttpStatusCode Status, string Body)
{
    private JsonElement Root => JsonDocument.Parse(Body).RootElement;

    public float[] Output => Root.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public int Version => int.Parse(Root.GetProperty("model_version").GetString()!, CultureInfo.InvariantCulture);

    public string Worker => Root.GetProperty("parameters").GetProperty("worker_id").GetString()!;

    public int BatchSize => Root.GetProperty("parameters").GetProperty("batch_size").GetInt32();

    public string Error => Root.GetProperty("error").GetString()!;
}

/// <summary>Calls the gateway's OIP endpoints as any HTTP client would.</summary>
internal sealed class OipClient(Uri gateway, string key) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Http => _http;

    public async Task<OipAnswer> InferAsync(string model, float[] row, int? version = null, string? routingKey = null, string inputName = "x", string datatype = "FP32", int features = Mlp.Features)
    {
        var path = version is null ? $"/v2/models/{model}/infer" : $"/v2/models/{model}/versions/{version}/infer";
        var data = string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        var body = $$"""{"inputs":[{"name":"{{inputName}}","datatype":"{{datatype}}","shape":[1,{{features}}],"data":[{{data}}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (routingKey is not null)
        {
            request.Headers.Add("X-Orbit-Routing-Key", routingKey);
        }

        using var response = await _http.SendAsync(request);
        return new OipAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<bool> ReadyAsync(string model, int version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{model}/versions/{version}/ready");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _http.SendAsync(request);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"ready\":true", StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();
}
