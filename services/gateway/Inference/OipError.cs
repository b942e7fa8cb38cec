namespace Orbit.Gateway.Inference;

/// <summary>
/// The Open Inference Protocol's error answer, <c>{"error": "…"}</c>, with its status code and, where
/// the request got as far as choosing one, the model version (for metrics).
/// </summary>
internal sealed class OipError(int status, string message, int? version = null, TimeSpan? retryAfter = null)
    : IResult, IStatusCodeHttpResult, IModelVersionResult
{
    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string Message => message;

    public int? Version => version;

    public Task ExecuteAsync(HttpContext context)
    {
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(new Body(message), statusCode: status).ExecuteAsync(context);
    }

    public OipError WithVersion(int chosen) => new(status, message, chosen, retryAfter);

    public static OipError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static OipError NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    private sealed record Body(string error);
}

/// <summary>A result that knows which model version answered (or would have).</summary>
internal interface IModelVersionResult
{
    int? Version { get; }
}
