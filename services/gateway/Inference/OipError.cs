using System.Text.Json;

namespace Orbit.Gateway.Inference;

/// <summary>The Open Inference Protocol's error body: <c>{"error": "…"}</c>.</summary>
internal static class OipError
{
    public static IResult Result(int status, string message) =>
        Results.Json(new Body(message), statusCode: status);

    public static Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new Body(message), cancellationToken: context.RequestAborted);
    }

    private sealed record Body(string error);
}
