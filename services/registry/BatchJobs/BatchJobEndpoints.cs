using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;
using Orbit.Registry.Models;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// <c>/v1/batch-jobs</c>: submit (multipart), list, show, cancel, and download the output and the errors file.
/// Every job belongs to the caller's tenant; another tenant's job is not found.
/// </summary>
internal static class BatchJobEndpoints
{
    public static void MapBatchJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/v1/batch-jobs").WithTags("Batch jobs");
        jobs.MapPost("", SubmitAsync).RequireAuthorization(Policies.Predictor)
            .Accepts<IFormFile>("multipart/form-data")
            .WithDescription("Submit a batch job: multipart/form-data with a 'file' part (csv, jsonl or parquet), or a 'fileId' field naming a file uploaded to /v1/files, and the fields model, version, format, outputFormat, chunkSize, keep, columns, maxErrorRatio.");
        jobs.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        jobs.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        jobs.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Predictor);
        jobs.MapGet("/{id}/output", OutputAsync).RequireAuthorization(Policies.Viewer);
        jobs.MapGet("/{id}/errors", ErrorsAsync).RequireAuthorization(Policies.Viewer);
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        IOptions<BatchJobOptions> options,
        BatchFiles files,
        BatchInputFiles inputs,
        ModelRepository models,
        DeploymentRepository deployments,
        BatchJobRepository jobs,
        BatchScheduler scheduler,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (submission, problem) = await BatchSubmission.ReadAsync(request, files, options.Value.MaxInputBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (submission)
        {
            var caller = Caller.From(user);
            if (submission!.FileId is { } fileId)
            {
                if (await inputs.FindAsync(caller.TenantId, fileId, cancellationToken) is not { } stored)
                {
                    return FieldProblem.For("fileId", $"no uploaded file '{fileId}' (upload it with POST /v1/files, or ./orbit batch upload)", StatusCodes.Status404NotFound);
                }

                submission.Adopt(inputs.CopyForJob(fileId), stored.Name);
            }

            var (settings, settingsProblem) = Settings(submission!, options.Value);
            if (settingsProblem is not null)
            {
                return settingsProblem;
            }

            var (version, versionProblem) = await VersionAsync(caller.TenantId, submission!, models, deployments, cancellationToken);
            if (versionProblem is not null)
            {
                return versionProblem;
            }

            var (mapping, mappingProblem) = BatchMapping.Resolve(settings.Format, version!, submission!.Columns, submission.Keep);
            if (mappingProblem is not null)
            {
                return FieldProblem.For(mappingProblem.Field, mappingProblem.Detail);
            }

            if (await HeaderProblemAsync(settings.Format, submission.UploadPath!, mapping!, cancellationToken) is { } headerProblem)
            {
                return headerProblem;
            }

            var job = new BatchJobRow
            {
                Id = BatchFiles.NewJobId(),
                TenantId = caller.TenantId,
                ModelName = version!.Model,
                ModelVersion = version.Version,
                Digest = version.Digest,
                MaxBatchSize = ServingSettings.MaxBatchSizeOf(version.Metadata),
                State = BatchJobStates.Preparing,
                InputFormat = settings.Format,
                OutputFormat = settings.OutputFormat,
                ChunkSize = settings.ChunkSize,
                ColumnsJson = JsonSerializer.Serialize(mapping!.Columns, BatchJobRow.Json),
                KeepJson = JsonSerializer.Serialize(mapping.Keep, BatchJobRow.Json),
                InputsJson = JsonSerializer.Serialize(mapping.Inputs, BatchJobRow.Json),
                MaxErrorRatio = settings.MaxErrorRatio,
                InputName = submission.FileName,
                CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                CreatedBy = caller.Actor,
            };
            submission.MoveTo(files.Input(job.Id));
            await jobs.CreateAsync(job, cancellationToken);
            scheduler.Notify();
            return Results.Accepted($"/v1/batch-jobs/{job.Id}", job.ToView(time.GetUtcNow()));
        }
    }

    private sealed record JobSettings(string Format, string OutputFormat, int ChunkSize, double MaxErrorRatio);

    private static (JobSettings Settings, IResult? Problem) Settings(BatchSubmission submission, BatchJobOptions options)
    {
        var format = submission.Format ?? BatchFormat.FromFileName(submission.FileName);
        if (format is null)
        {
            return (null!, FieldProblem.For("format", $"say the input's format: one of {string.Join(", ", BatchFormat.All)} (the file name's extension did not tell)"));
        }

        if (!BatchFormat.IsKnown(format))
        {
            return (null!, FieldProblem.For("format", $"'{format}' is not a supported input format: use one of {string.Join(", ", BatchFormat.All)}"));
        }

        var output = submission.OutputFormat ?? format;
        if (!BatchFormat.IsKnown(output))
        {
            return (null!, FieldProblem.For("outputFormat", $"'{output}' is not a supported output format: use one of {string.Join(", ", BatchFormat.All)}"));
        }

        var chunkSize = options.DefaultChunkSize;
        if (submission.ChunkSize is { } chunkText
            && (!int.TryParse(chunkText, NumberStyles.None, CultureInfo.InvariantCulture, out chunkSize) || chunkSize < 1 || chunkSize > options.MaxChunkSize))
        {
            return (null!, FieldProblem.For("chunkSize", $"must be a whole number of rows from 1 to {options.MaxChunkSize}"));
        }

        var ratio = options.DefaultMaxErrorRatio;
        if (submission.MaxErrorRatio is { } ratioText && (!BatchSubmission.TryNumber(ratioText, out ratio) || ratio is < 0 or > 1 || double.IsNaN(ratio)))
        {
            return (null!, FieldProblem.For("maxErrorRatio", "must be a number from 0 to 1 (0.01 = 1% of the rows may fail)"));
        }

        var duplicateKeep = submission.Keep.GroupBy(k => k, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 || g.Key == "row");
        if (duplicateKeep is not null)
        {
            return (null!, FieldProblem.For("keep", $"column '{duplicateKeep.Key}' is kept twice, or is named 'row' (the output's own first column)"));
        }

        return (new JobSettings(format, output, chunkSize, ratio), null);
    }

    private static async Task<(VersionView? Version, IResult? Problem)> VersionAsync(
        string tenant, BatchSubmission submission, ModelRepository models, DeploymentRepository deployments, CancellationToken cancellationToken)
    {
        if (submission.Model is not { Length: > 0 } model)
        {
            return (null, FieldProblem.For("model", "the 'model' field is missing"));
        }

        if (!await models.ExistsAsync(tenant, model, cancellationToken))
        {
            return (null, Problems.NotFound($"model '{model}' not found"));
        }

        int number;
        if (submission.Version is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1)
            {
                return (null, FieldProblem.For("version", $"'{text}' is not a version number (1 or more)"));
            }
        }
        else if ((await deployments.GetAsync(tenant, model, cancellationToken))?.StableVersion is { } stable)
        {
            number = stable;
        }
        else
        {
            return (null, FieldProblem.For("version", $"model '{model}' has no stable version deployed: name a version, or deploy one (orbit deploy {model} --stable N)"));
        }

        return await models.GetVersionAsync(tenant, model, number, cancellationToken) is { } version
            ? (version, null)
            : (null, Problems.NotFound($"model '{model}' has no version {number}"));
    }

    private static async Task<IResult?> HeaderProblemAsync(string format, string path, BatchMapping mapping, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<string>? header = format switch
            {
                BatchFormat.Csv => ReadCsvHeader(path),
                BatchFormat.Parquet => await ParquetRowSource.ReadHeaderAsync(path, cancellationToken),
                _ => null,
            };
            if (format == BatchFormat.Csv && header is null)
            {
                return FieldProblem.For("file", "the input is empty: a CSV input starts with a header line naming its columns");
            }

            return header is not null && mapping.CheckHeader(header) is { } problem ? FieldProblem.For(problem.Field, problem.Detail) : null;
        }
        catch (InvalidDataException ex)
        {
            return FieldProblem.For("file", $"the input is not valid {format}: {ex.Message}");
        }
    }

    private static List<string>? ReadCsvHeader(string path)
    {
        using var lines = CsvRowSource.Open(path);
        return CsvRowSource.ReadHeader(lines);
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, BatchJobRepository jobs, TimeProvider time, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var page = (await jobs.ListAsync(Caller.From(user).TenantId, after, take, cancellationToken)).Select(j => j.ToView(now)).ToList();
        return Results.Ok(new Page<BatchJobView>(page, Paging.Next(page, take, j => j.Id)));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, BatchJobRepository jobs, TimeProvider time, CancellationToken cancellationToken) =>
        await FindAsync(id, user, jobs, cancellationToken) is { } job ? Results.Ok(job.ToView(time.GetUtcNow())) : NotFound(id);

    private static async Task<IResult> CancelAsync(string id, ClaimsPrincipal user, BatchJobRepository jobs, BatchScheduler scheduler, BatchProgress progress, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, user, jobs, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        var reason = "cancelled by " + Caller.From(user).Actor;
        if (!await jobs.FinishAsync(job.Id, BatchJobStates.Cancelled, reason, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Conflict, title: "Conflict",
                detail: $"batch job {id} is already {job.State}; only a preparing or running job can be cancelled");
        }

        await progress.FinishedAsync(job, BatchJobStates.Cancelled, reason, cancellationToken);
        scheduler.Notify();
        return Results.Ok((await jobs.GetAsync(job.Id, cancellationToken))!.ToView(time.GetUtcNow()));
    }

    private static async Task<IResult> OutputAsync(string id, ClaimsPrincipal user, BatchJobRepository jobs, BatchFiles files, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, user, jobs, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        if (job.OutputReady == 0)
        {
            var detail = job.State == BatchJobStates.Failed
                ? $"batch job {id} failed ({job.Reason}); it has no output. Its errors: GET /v1/batch-jobs/{id}/errors"
                : $"batch job {id} is {job.State} ({job.RowsDone} of {job.RowsTotal} rows done); its output is ready when it completes";
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Conflict, title: "Output not ready", detail: detail);
        }

        var contentType = job.OutputFormat switch
        {
            BatchFormat.Csv => "text/csv",
            BatchFormat.Jsonl => "application/x-ndjson",
            _ => "application/vnd.apache.parquet",
        };
        return Results.File(files.Output(job.Id, job.OutputFormat), contentType, $"{job.Id}.{job.OutputFormat}", enableRangeProcessing: true);
    }

    private static async Task<IResult> ErrorsAsync(string id, ClaimsPrincipal user, BatchJobRepository jobs, BatchChunkStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, user, jobs, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        if (job.State == BatchJobStates.Preparing)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Conflict, title: "Errors not ready",
                detail: $"batch job {id} is still reading its input; its errors file is ready once it runs");
        }

        var sources = store.ErrorFiles(job.Id).Where(File.Exists).ToList();
        return Results.Stream(async body =>
        {
            foreach (var source in sources)
            {
                await using var file = File.OpenRead(source);
                await file.CopyToAsync(body, cancellationToken);
            }
        }, "text/csv", $"{job.Id}.errors.csv");
    }

    private static async Task<BatchJobRow?> FindAsync(string id, ClaimsPrincipal user, BatchJobRepository jobs, CancellationToken cancellationToken) =>
        BatchFiles.IsJobId(id) ? await jobs.GetAsync(Caller.From(user).TenantId, id, cancellationToken) : null;

    private static IResult NotFound(string id) => Problems.NotFound($"batch job '{id}' not found");
}
