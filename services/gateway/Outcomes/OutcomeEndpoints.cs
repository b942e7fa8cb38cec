using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Hosting.Streams;

namespace Orbit.Gateway.Outcomes;

/// <summary>
/// <c>POST /v1/outcomes</c>: ground truth for earlier predictions, appended to the outcomes stream for the
/// drift monitor's accuracy join and the retrainer. The tenant is the key's; a model the tenant does not have
/// is 404 (another tenant's too). 202 once the broker has confirmed every outcome.
/// </summary>
internal static class OutcomeEndpoints
{
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutcomeOptions>(OutcomeOptions.Section);
        services.AddOrbitStreams();
        services.AddSingleton<KnownModels>();
        return services;
    }

    public static void MapOutcomeEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/outcomes", PostAsync).RequireAuthorization(Policies.Predictor).WithTags("Outcomes");

    private static async Task<IResult> PostAsync(
        HttpContext context, KnownModels models, IStreamPublisher streams, IOptions<OutcomeOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            return FieldProblem.For("body", $"is over {settings.MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxBodyBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return FieldProblem.For("body", "is not valid JSON: " + ex.Message);
        }

        var caller = Caller.From(context.User);
        using (document)
        {
            var (outcomes, field, problem) = OutcomeReader.Read(document.RootElement, caller.TenantId, time.GetUtcNow(), settings.MaxOutcomes);
            if (outcomes is null)
            {
                return FieldProblem.For(field!, $"'{field}' {problem}");
            }

            var key = ApiKeyHeader.Read(context.Request.Headers)!;
            foreach (var model in outcomes.Select(o => o.ModelName).Distinct(StringComparer.Ordinal))
            {
                if (!await models.ExistsAsync(caller.TenantId, model, key, context.RequestAborted))
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound,
                        title: "Not found", detail: $"model '{model}' not found", extensions: new Dictionary<string, object?> { ["field"] = "model" });
                }
            }

            await Task.WhenAll(outcomes.Select(o => streams.PublishAsync(settings.Stream, o, context.RequestAborted)));
            return Results.Accepted(value: new { accepted = outcomes.Count });
        }
    }
}
