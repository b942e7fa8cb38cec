using Orbit.Contracts.Retraining;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Retrainer.Registration;
using Orbit.Retrainer.Storage;
using Orbit.Retrainer.Triggers;

namespace Orbit.Retrainer.Api;

/// <summary>
/// <c>GET /v1/retrains/{model}</c> (viewer): every trigger of the caller's tenant's model and what became of it,
/// newest first. <c>POST /v1/retrains/{model}</c> (deployer): a retrain request, as <c>RetrainRequested</c>; 202 with the
/// recorded attempt (which may be <c>skipped</c>, with the reason). A model the caller's tenant does not have is a 404.
/// </summary>
internal static class RetrainEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void MapRetrainEndpoints(this IEndpointRouteBuilder app)
    {
        var retrains = app.MapGroup("/v1/retrains/{model}");
        retrains.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        retrains.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        retrains.MapPost("", RequestAsync).RequireAuthorization(Policies.Deployer);
    }

    private static async Task<IResult> ListAsync(
        string model, int? limit, string? cursor, HttpContext http, ClaimsPrincipal user, RetrainStore store, IHttpClientFactory clients,
        Microsoft.Extensions.Options.IOptions<RetrainerOptions> options, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return FieldProblem.For("limit", $"must be from 1 to {MaxLimit}");
        }

        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return FieldProblem.For("cursor", "is not a cursor this API returned");
            }

            before = parsed;
        }

        if (!IsBootstrap(options, user, model) && await ModelMissingAsync(model, http, clients, cancellationToken) is { } missing)
        {
            return missing;
        }

        var take = limit ?? DefaultLimit;
        var page = await store.ListAsync(Caller.From(user).TenantId, model, take, before, cancellationToken);
        var next = page.Count < take ? null : page[^1].CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(new AttemptPage([.. page.Select(AttemptViews.From)], next));
    }

    private static async Task<IResult> GetAsync(
        string model, string id, HttpContext http, ClaimsPrincipal user, RetrainStore store, IHttpClientFactory clients,
        Microsoft.Extensions.Options.IOptions<RetrainerOptions> options, CancellationToken cancellationToken)
    {
        if (!IsBootstrap(options, user, model) && await ModelMissingAsync(model, http, clients, cancellationToken) is { } missing)
        {
            return missing;
        }

        return await store.GetAsync(Caller.From(user).TenantId, model, id, cancellationToken) is { } attempt
            ? TypedResults.Ok(AttemptViews.From(attempt))
            : NotFound($"No retrain attempt '{id}' of model '{model}'.");
    }

    private static async Task<IResult> RequestAsync(
        string model, RetrainRequestBody? body, HttpContext http, ClaimsPrincipal user, TriggerIntake intake, IHttpClientFactory clients,
        Microsoft.Extensions.Options.IOptions<RetrainerOptions> options, CancellationToken cancellationToken)
    {
        if (body?.Reason is { Length: > 500 })
        {
            return FieldProblem.For("reason", "must be at most 500 characters");
        }

        if (!IsBootstrap(options, user, model) && await ModelMissingAsync(model, http, clients, cancellationToken) is { } missing)
        {
            return missing;
        }

        var caller = Caller.From(user);
        var attempt = await intake.RecordAsync(new TriggerRequest(
            caller.TenantId, model, TriggerKind.Request, body?.Reason ?? "requested over HTTP", caller.Actor,
            body?.ShuffleLabels ?? false, body?.ForcePastGate ?? false), cancellationToken);
        return TypedResults.Accepted($"/v1/retrains/{Uri.EscapeDataString(model)}/{attempt.Id}", AttemptViews.From(attempt));
    }

    /// <summary>A model configured with a dataset may not exist yet: its first version is trained from the dataset.</summary>
    private static bool IsBootstrap(Microsoft.Extensions.Options.IOptions<RetrainerOptions> options, ClaimsPrincipal user, string model) =>
        options.Value.Models.Any(m => m.Tenant == Caller.From(user).TenantId && m.Model == model && m.Dataset is not null);

    /// <summary>Asks the registry with the caller's own key, so another tenant's model is a 404 exactly as there.</summary>
    private static async Task<IResult?> ModelMissingAsync(string model, HttpContext http, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/models/{Uri.EscapeDataString(model)}");
        if (ApiKeyHeader.Read(http.Request.Headers) is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(RegistryClient.HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return Results.Problem(statusCode: 503, type: ProblemTypes.Unavailable, title: "The registry is unreachable",
                detail: "The registry could not be asked whether the model exists.");
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return NotFound($"No model '{model}'.");
            }

            return response.IsSuccessStatusCode
                ? null
                : Results.Problem(statusCode: 503, type: ProblemTypes.Unavailable, title: "The registry refused",
                    detail: $"The registry answered {(int)response.StatusCode} when asked for the model.");
        }
    }

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "Not found", detail: detail);
}
