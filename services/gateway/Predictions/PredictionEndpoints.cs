using System.Text;
using System.Text.Json;
using Orbit.Gateway.Inference;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Asynchronous predictions over HTTP: <c>POST /v1/predictions</c> accepts one (202, its id and a
/// <c>Location</c>), <c>GET /v1/predictions/{id}</c> tells its state and, once done, its result.
/// Another tenant's prediction is not found. Refusals are problem details naming the field.
/// </summary>
internal static class PredictionEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static void MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        var predictions = app.MapGroup("/v1/predictions");
        predictions.MapPost("", SubmitAsync).RequireAuthorization(Policies.Predictor);
        predictions.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, [AsParameters] PredictionServices services)
    {
        var caller = Caller.From(context.User);
        var (allowed, retryAfter) = await services.RateLimiter.TryTakeAsync(caller.TenantId);
        if (!allowed)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return FieldProblem.For("tenant", $"tenant '{caller.TenantId}' is over its request rate; retry after {retryAfter.TotalMilliseconds:0} ms", StatusCodes.Status429TooManyRequests);
        }

        var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
        var (submission, refusal) = await ReadAsync(context, services.Options.Value, key.Length > 0 ? key : null);
        if (submission is null)
        {
            return FieldProblem.For(refusal!.Field, refusal.Detail, refusal.Status);
        }

        var outcome = await services.Submitter.SubmitAsync(caller, submission, context.RequestAborted);
        if (outcome.Refusal is { } refused)
        {
            return FieldProblem.For(refused.Field, refused.Detail, refused.Status);
        }

        if (!outcome.Created)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var prediction = outcome.Prediction!;
        return TypedResults.Accepted($"/v1/predictions/{prediction.Id}", prediction.ToView());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, [AsParameters] PredictionServices services)
    {
        var caller = Caller.From(context.User);
        var prediction = await services.Store.GetAsync(caller.TenantId, id);
        return prediction is null
            ? FieldProblem.For("id", $"prediction '{id}' not found (or its result has expired)", StatusCodes.Status404NotFound)
            : TypedResults.Ok(prediction.ToView());
    }

    private static async Task<(Submission?, SubmissionRefusal?)> ReadAsync(HttpContext context, GatewayOptions options, string? idempotencyKey)
    {
        var tooLarge = new SubmissionRefusal(StatusCodes.Status413PayloadTooLarge, "body", $"the request body is over {options.MaxRequestBytes} bytes");
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            return (null, tooLarge);
        }

        try
        {
            var body = new LimitedBodyStream(context.Request.Body, options.MaxRequestBytes);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: context.RequestAborted);
            return PredictionBodyReader.ReadHttp(document.RootElement, body.BytesRead, idempotencyKey);
        }
        catch (JsonException ex)
        {
            return (null, new SubmissionRefusal(StatusCodes.Status400BadRequest, "body", "the body is not valid JSON: " + ex.Message));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            return (null, new SubmissionRefusal(StatusCodes.Status400BadRequest, "body", "the body holds a string that is not valid UTF-8"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
    }
}
