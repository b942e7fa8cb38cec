using System.Net;
using System.Text.Json;

namespace Orbit.Cli.Registry;

/// <summary>An RFC 9457 problem as the registry sends it, or as the CLI makes one up for a bare status code.</summary>
internal sealed record Problem(int Status, string Title, string? Detail, string? Field)
{
    public static Problem From(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && Text(root, "title") is { } title)
            {
                return new Problem((int)status, title, Text(root, "detail"), Text(root, "field"));
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's HTML page, an empty 401): described by its status below.
        }

        return status switch
        {
            HttpStatusCode.Unauthorized => new Problem(401, "Unauthorized",
                "the registry does not accept this API key (unknown or revoked); check --key, ORBIT_KEY or the config file", null),
            HttpStatusCode.Forbidden => new Problem(403, "Forbidden", "this key's role may not do that (ask for a key with a higher role)", null),
            _ => new Problem((int)status, $"HTTP {(int)status} {status}", body.Length is > 0 and <= 300 ? body.Trim() : null, null),
        };
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

    public ApiResult<TOther> As<TOther>() => new(default, Json, Problem);
}
