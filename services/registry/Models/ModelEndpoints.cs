using System.Security.Claims;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Artifacts;
using Orbit.Registry.Auth;
using Orbit.Registry.Outbox;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Models;

internal static class ModelEndpoints
{
    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        // Reads take ?tenant= (platform keys: any tenant; others: their own, anything else is a 404); writes refuse it.
        var models = app.MapGroup("/v1/models").WithTags("Models").AddEndpointFilter(TenantScope.OwnTenantWrites);
        models.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        models.MapGet("/{name}", GetAsync).RequireAuthorization(Policies.Viewer);
        models.MapPost("/{name}/versions", UploadAsync).RequireAuthorization(Policies.Deployer)
            .Accepts<IFormFile>("multipart/form-data")
            .WithDescription("Upload a version: multipart/form-data with a 'file' part (.onnx) and an optional 'metadata' part (JSON).");
        models.MapGet("/{name}/versions", ListVersionsAsync).RequireAuthorization(Policies.Viewer);
        models.MapGet("/{name}/versions/{version}", GetVersionAsync).RequireAuthorization(Policies.Viewer);
        // The platform tenant's keys (workers, the drift monitor) read any tenant's version: its metadata holds the baseline they summarise against.
        app.MapGet("/v1/tenants/{tenant}/models/{name}/versions/{version}", GetTenantVersionAsync).WithTags("Models").RequireAuthorization(Policies.Viewer);
        models.MapPatch("/{name}/versions/{version}", UpdateVersionAsync).RequireAuthorization(Policies.Deployer);
        models.MapPost("/{name}/versions/{version}/retire", RetireVersionAsync).RequireAuthorization(Policies.Deployer);
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, ModelRepository models, string? tenant, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        var scope = TenantScope.OfListing(Caller.From(user), tenant);
        if (scope.Problem is not null)
        {
            return scope.Problem;
        }

        // Every tenant's listing resumes after a tenant and a name ("tenant/name": neither may hold a '/').
        ModelCursor? resume = null;
        if (after is not null)
        {
            var slash = after.IndexOf('/', StringComparison.Ordinal);
            if (scope.All == (slash < 0))
            {
                return FieldProblem.For("cursor", "is not a cursor this API returned for this listing");
            }

            resume = scope.All ? new ModelCursor(after[..slash], after[(slash + 1)..]) : new ModelCursor(null, after);
        }

        var page = await models.ListModelsAsync(scope.Tenant, resume, take, cancellationToken);
        return Results.Ok(new Page<ModelView>(page, Paging.Next(page, take, m => scope.All ? m.Tenant + "/" + m.Name : m.Name)));
    }

    private static async Task<IResult> GetAsync(string name, string? tenant, ClaimsPrincipal user, ModelRepository models, CancellationToken cancellationToken) =>
        TenantScope.Of(Caller.From(user), tenant) is { } scope && await models.GetModelAsync(scope, name, cancellationToken) is { } model
            ? Results.Ok(model)
            : Problems.NotFound($"model '{name}' not found");

    private static async Task<IResult> UploadAsync(
        string name,
        HttpRequest request,
        ClaimsPrincipal user,
        IOptions<RegistryOptions> options,
        ArtifactStore store,
        ModelValidator validator,
        ModelRepository models,
        OutboxDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        if (ModelNames.Problem(name) is { } nameProblem)
        {
            return FieldProblem.For("name", nameProblem);
        }

        var (parts, problem) = await VersionUpload.ReadAsync(request, options.Value, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (parts)
        {
            var (signature, loadProblem) = await VersionUploadValidation.CheckAsync(validator, parts!.File, request.HttpContext.Response, cancellationToken);
            if (loadProblem is not null)
            {
                return loadProblem;
            }

            var caller = Caller.From(user);
            var created = store.Commit(parts.File);
            Outcome<VersionView> outcome;
            try
            {
                outcome = await models.RegisterAsync(caller, name,
                    new ModelRepository.NewVersion(parts.File.Digest, parts.File.Size, parts.MetadataJson, parts.Metadata, signature!), cancellationToken);
            }
            catch
            {
                await ForgetAsync(created, parts.File, store, models);
                throw;
            }

            if (outcome.Kind != OutcomeKind.Ok)
            {
                await ForgetAsync(created, parts.File, store, models);
            }
            else
            {
                dispatcher.Notify();
            }

            return outcome.ToResult(view => Results.Created($"/v1/models/{name}/versions/{view.Version}", view));
        }
    }

    /// <summary>Removes an object this upload stored when its version did not commit, unless another version now uses it.</summary>
    private static async Task ForgetAsync(bool created, StagedArtifact file, ArtifactStore store, ModelRepository models)
    {
        if (created && !await models.DigestVisibleAsync(null, file.Digest, CancellationToken.None))
        {
            store.Remove(file.Hex);
        }
    }

    private static async Task<IResult> ListVersionsAsync(
        string name, string? tenant, ClaimsPrincipal user, ModelRepository models, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        var scope = TenantScope.Of(Caller.From(user), tenant);
        if (scope is null || !await models.ExistsAsync(scope, name, cancellationToken))
        {
            return Problems.NotFound($"model '{name}' not found");
        }

        if (after is not null && !int.TryParse(after, out _))
        {
            return FieldProblem.For("cursor", "is not a cursor this API returned");
        }

        var page = await models.ListVersionsAsync(scope, name, after is null ? null : int.Parse(after, System.Globalization.CultureInfo.InvariantCulture), take, cancellationToken);
        return Results.Ok(new Page<VersionView>(page, Paging.Next(page, take, v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static async Task<IResult> GetVersionAsync(string name, string version, string? tenant, ClaimsPrincipal user, ModelRepository models, CancellationToken cancellationToken)
    {
        if (!TryVersion(version, out var number, out var problem))
        {
            return problem;
        }

        return TenantScope.Of(Caller.From(user), tenant) is { } scope && await models.GetVersionAsync(scope, name, number, cancellationToken) is { } view
            ? Results.Ok(view)
            : Problems.NotFound($"model '{name}' has no version {number}");
    }

    /// <summary>A version of <paramref name="tenant"/>'s model: for the platform tenant, or the tenant itself; any other caller gets 404.</summary>
    private static async Task<IResult> GetTenantVersionAsync(string tenant, string name, string version, ClaimsPrincipal user, ModelRepository models, CancellationToken cancellationToken)
    {
        if (!TryVersion(version, out var number, out var problem))
        {
            return problem;
        }

        if (TenantScope.Of(Caller.From(user), tenant) is null)
        {
            return Problems.NotFound($"model '{name}' not found");
        }

        return await models.GetVersionAsync(tenant, name, number, cancellationToken) is { } view
            ? Results.Ok(view)
            : Problems.NotFound($"model '{name}' has no version {number}");
    }

    private static async Task<IResult> UpdateVersionAsync(string name, string version, UpdateVersion update, ClaimsPrincipal user, ModelRepository models, CancellationToken cancellationToken)
    {
        if (!TryVersion(version, out var number, out var problem))
        {
            return problem;
        }

        if (update.Description is { Length: > 4000 })
        {
            return FieldProblem.For("description", "must be at most 4000 characters");
        }

        if (VersionMetadataValidator.ValidateTags(update.Tags, "tags") is { } tagProblem)
        {
            return FieldProblem.For(tagProblem.Field, tagProblem.Problem);
        }

        return (await models.UpdateAsync(Caller.From(user), name, number, update, cancellationToken)).ToResult(Results.Ok);
    }

    private static async Task<IResult> RetireVersionAsync(string name, string version, ClaimsPrincipal user, ModelRepository models, CancellationToken cancellationToken)
    {
        if (!TryVersion(version, out var number, out var problem))
        {
            return problem;
        }

        return (await models.RetireAsync(Caller.From(user), name, number, cancellationToken)).ToResult(Results.Ok);
    }

    private static bool TryVersion(string value, out int number, out IResult problem)
    {
        problem = Results.Empty;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && number >= 1)
        {
            return true;
        }

        problem = FieldProblem.For("version", $"'{value}' is not a version number (1 or more)");
        return false;
    }
}
