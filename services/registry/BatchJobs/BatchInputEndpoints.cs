using System.Security.Claims;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// <c>/v1/files</c>: upload a batch input once (multipart, a <c>file</c> part alone; the same size limit as a job's
/// input), show it, delete it; submit it as many times as wanted with <c>fileId</c>. Another tenant's file is not found.
/// </summary>
internal static class BatchInputEndpoints
{
    public static void MapBatchInputEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/files").WithTags("Batch jobs");
        group.MapPost("", UploadAsync).RequireAuthorization(Policies.Predictor)
            .Accepts<IFormFile>("multipart/form-data")
            .WithDescription("Upload a batch input (csv, jsonl or parquet) as a multipart 'file' part; submit it later with the batch job field 'fileId'.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Predictor);
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, IOptions<BatchJobOptions> options, BatchFiles files, BatchInputFiles inputs, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (submission, problem) = await BatchSubmission.ReadAsync(request, files, options.Value.MaxInputBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (submission)
        {
            if (submission!.HasFields || submission.UploadPath is null)
            {
                return FieldProblem.For("multipart", "send the 'file' part alone; the job's fields (model, format, …) go with POST /v1/batch-jobs and 'fileId'");
            }

            var caller = Caller.From(user);
            // The upload is moved into the store (the submission's cleanup then finds nothing to delete).
            var stored = await inputs.StoreAsync(submission.UploadPath, caller.TenantId, submission.FileName, caller.Actor, time.GetUtcNow(), cancellationToken);
            return Results.Created($"/v1/files/{stored.Id}", stored);
        }
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, BatchInputFiles inputs, CancellationToken cancellationToken) =>
        await inputs.FindAsync(Caller.From(user).TenantId, id, cancellationToken) is { } stored
            ? Results.Ok(stored)
            : Problems.NotFound($"file '{id}' not found");

    private static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal user, BatchInputFiles inputs, CancellationToken cancellationToken)
    {
        if (await inputs.FindAsync(Caller.From(user).TenantId, id, cancellationToken) is null)
        {
            return Problems.NotFound($"file '{id}' not found");
        }

        inputs.Delete(id);
        return Results.NoContent();
    }
}
