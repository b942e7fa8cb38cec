using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Cli.Registry;
using Orbit.Contracts.Retraining;

namespace Orbit.Cli.Retrain;

/// <summary>
/// The retrainer's API (<c>/v1/retrains/{model}</c>), with the key the registry commands resolve. Its address:
/// <c>--retrainer</c>, else <c>ORBIT_RETRAINER_URL</c>, else the retrainer of a local <c>./orbit up</c>
/// (<c>http://127.0.0.1:&lt;ORBIT_BASE_PORT + 3&gt;</c>).
/// </summary>
internal sealed class RetrainApi(HttpClient http, Uri retrainer, string key)
{
    public const string UrlVariable = "ORBIT_RETRAINER_URL";

    public Uri Url => retrainer;

    public static (Uri? Url, string? Error) ResolveUrl(string? flag, Func<string, string?> environment)
    {
        var basePort = int.TryParse(environment("ORBIT_BASE_PORT"), out var port) && port is > 0 and < 65532 ? port : 8080;
        var text = !string.IsNullOrWhiteSpace(flag) ? flag
            : environment(UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : $"http://127.0.0.1:{(basePort + 3).ToString(CultureInfo.InvariantCulture)}/";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"the retrainer URL '{text}' is not an http:// or https:// URL");
        }

        return (uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/"), null);
    }

    public Task<ApiResult<AttemptView>> RequestAsync(string model, string? reason, CancellationToken ct) =>
        SendAsync<AttemptView>(HttpMethod.Post, Path(model), JsonContent.Create(new RetrainRequestBody(reason), options: JsonSerializerOptions.Web), ct);

    public Task<ApiResult<AttemptView>> GetAsync(string model, string id, CancellationToken ct) =>
        SendAsync<AttemptView>(HttpMethod.Get, $"{Path(model)}/{Uri.EscapeDataString(id)}", null, ct);

    public Task<ApiResult<AttemptPage>> HistoryAsync(string model, int limit, CancellationToken ct) =>
        SendAsync<AttemptPage>(HttpMethod.Get, $"{Path(model)}?limit={limit.ToString(CultureInfo.InvariantCulture)}", null, ct);

    private static string Path(string model) => "v1/retrains/" + Uri.EscapeDataString(model);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(retrainer, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return ApiResult<T>.Failed(Problem.From(response.StatusCode, body));
        }

        var value = JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)
            ?? throw new JsonException($"the retrainer answered {method} /{path} with null");
        return ApiResult<T>.Ok(value, body);
    }
}
