using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Auth;
using Orbit.Registry.Models;

namespace Orbit.Registry.Artifacts;

internal static class ArtifactEndpoints
{
    public const string DigestHeader = "X-Orbit-Digest";

    /// <summary>
    /// <c>GET /v1/artifacts/sha256:{hex}</c>: the bytes, with Range support. Workers fetch models
    /// here. A tenant sees only artifacts of its own versions; the platform tenant sees all.
    /// </summary>
    public static void MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v1/artifacts/{digest}", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Artifacts");
    }

    private static async Task<IResult> ServeAsync(string digest, ClaimsPrincipal user, ArtifactStore store, ModelRepository models, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!Digest.TryParseHex(digest, out var hex))
        {
            return FieldProblem.For("digest", "must be 'sha256:' and 64 lowercase hex digits");
        }

        var caller = Caller.From(user);
        if (!await models.DigestVisibleAsync(caller.IsPlatform ? null : caller.TenantId, Digest.Format(hex), cancellationToken))
        {
            return Problems.NotFound($"artifact {Digest.Format(hex)} not found");
        }

        var (check, path) = await store.OpenVerifiedAsync(hex, cancellationToken);
        switch (check)
        {
            case ArtifactCheck.Missing:
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, type: "urn:orbit:problem:artifact-missing",
                    title: "Artifact missing", detail: $"artifact {Digest.Format(hex)} is recorded but its file is gone; re-upload the version");
            case ArtifactCheck.Corrupted:
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, type: "urn:orbit:problem:artifact-corrupted",
                    title: "Artifact corrupted", detail: $"the stored bytes of {Digest.Format(hex)} no longer match their digest; it is not served");
        }

        response.Headers[DigestHeader] = Digest.Format(hex);
        return Results.File(path!, "application/octet-stream", enableRangeProcessing: true,
            entityTag: new EntityTagHeaderValue($"\"{Digest.Format(hex)}\""));
    }
}
