using System.Net;
using System.Text.Json;

namespace Orbit.Cli.Registry;

/// <summary>An RFC 9457 problem as the registry sends it, or as the CLI makes one up for a bare status code.</summary>
internal sealed record Problem(int Status, string Title, string? Detail, string? Field)
{
    public static Problem From(HttpStatusCode status, string body)
    {
        var (title, detail, field) = Parse(body);
        return status switch
        {
            // The authorization layer answers 401 with no body and 403 with no detail: say what they mean.
            HttpStatusCode.Unauthorized => new Problem(401, title ?? "Unauthorized",
                detail ?? "the registry does not accept this API key (unknown or revoked); check --key, ORBIT_KEY or the config file", field),
            HttpStatusCode.Forbidden => new Problem(403, title ?? "Forbidden",
                detail ?? "this key's role may not do that; use a key with a higher role (viewer < predictor < deployer < admin)", field),
            _ when title is not null => new Problem((int)status, title, detail, field),
            _ => new Problem((int)status, $"HTTP {(int)status} {status}", body.Length is > 0 and <= 300 ? body.Trim() : null, null),
        };
    }

    private static (string? Title, string? Detail, string? Field) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (Text(root, "title"), Text(root, "detail"), Text(root, "field")) : default;
        }
        catch (JsonException)
        {
            // Not a problem document (an empty 401, a proxy's HTML page): described by its status.
            return default;
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A registry answer: the typed value and its JSON text as received, or the problem it returned.</summary>
internal sealed record ApiResult<T>(T? Value, string Json, Problem? Problem)
{
    public bool IsOk => Problem is null;

    public static ApiResult<T> Ok(T value, string json) => new(value, json, null);

    public static ApiResult<T> Failed(Problem problem) => new(default, "", problem);
}
