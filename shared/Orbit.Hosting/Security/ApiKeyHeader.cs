using Microsoft.AspNetCore.Http;

namespace Orbit.Hosting.Security;

public static class ApiKeyHeader
{
    /// <summary>The API key a request presents: <c>Authorization: Bearer &lt;key&gt;</c>, else <c>X-Api-Key</c>; null when neither.</summary>
    public static string? Read(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            return token.Length > 0 ? token : null;
        }

        var apiKey = headers["X-Api-Key"].ToString().Trim();
        return apiKey.Length > 0 ? apiKey : null;
    }
}
