using MassTransit;
using Orbit.Contracts.Batch;
using Orbit.Hosting.Errors;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Takes the workers' answers to chunks: writes the chunk's part (or, for a chunk the model could not run, its
/// rows to the errors file) and counts its rows once. An answer for a chunk that is done already, or for a job
/// that ended (cancelled, failed), changes nothing.
/// </summary>
internal sealed partial class BatchChunkResultConsumer(
    BatchJobRepository jobs,
    BatchChunkStore store,
    ChunkCompletions completions,
    BatchScheduler scheduler,
    BatchProgress progress,
    ILogger<BatchChunkResultConsumer> logger) : IConsumer<BatchChunkCompleted>, IConsumer<BatchChunkFailed>
{
    public async Task Consume(ConsumeContext<BatchChunkCompleted> context)
    {
        var message = context.Message;
        if (await RunningJobAsync(message.JobId, message.TenantId, message.Chunk, context.CancellationToken) is not { } job)
        {
            return;
        }

        var staged = await store.ReadChunkAsync(job.Id, message.Chunk, context.CancellationToken, withInputs: false);
        var (part, error) = PartFile.From(staged, message.Outputs ?? []);
        if (error is not null)
        {
            await FailChunkAsync(job, message.Chunk, staged, "the model's outputs do not fit the chunk: " + error, context.CancellationToken);
            return;
        }

        await store.WritePartAsync(job.Id, message.Chunk, job.OutputFormat, job.Mapping.Keep, part!);
        await CountAsync(new ChunkCompletion(job.Id, message.Chunk, staged.Rows.Length, 0), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<BatchChunkFailed> context)
    {
        var message = context.Message;
        if (await RunningJobAsync(message.JobId, message.TenantId, message.Chunk, context.CancellationToken) is not { } job)
        {
            return;
        }

        var staged = await store.ReadChunkAsync(job.Id, message.Chunk, context.CancellationToken, withInputs: false);
        await FailChunkAsync(job, message.Chunk, staged, $"the model could not run this chunk on {message.WorkerId}: {message.Reason}", context.CancellationToken);
    }

    private async Task FailChunkAsync(BatchJobRow job, int chunk, StagedChunk staged, string reason, CancellationToken cancellationToken)
    {
        LogChunkFailed(logger, job.Id, chunk, reason);
        await store.WriteChunkErrorsAsync(job.Id, chunk, staged, reason);
        await CountAsync(new ChunkCompletion(job.Id, chunk, 0, staged.Rows.Length), cancellationToken);
    }

    /// <summary>Counts the chunk once (with the answers that arrived with it, in one transaction), then wakes the scheduler and reports progress.</summary>
    private async Task CountAsync(ChunkCompletion completion, CancellationToken cancellationToken)
    {
        var (counted, job) = await completions.CompleteAsync(completion);
        if (counted)
        {
            scheduler.Notify();
            if (job is not null)
            {
                await progress.ChunkDoneAsync(job, cancellationToken);
            }
        }
    }

    private async Task<BatchJobRow?> RunningJobAsync(string id, string tenant, int chunk, CancellationToken cancellationToken)
    {
        if (!BatchFiles.IsJobId(id ?? "") || chunk < 0)
        {
            throw new MessageValidationException("jobId", $"'{id}' chunk {chunk} is not a batch job's chunk");
        }

        var job = await jobs.GetAsync(id!, cancellationToken);
        if (job is null || job.TenantId != tenant || job.State != BatchJobStates.Running || chunk >= job.ChunksTotal)
        {
            LogIgnored(logger, id!, chunk, job?.State ?? "unknown");
            return null;
        }

        return job;
    }

    [LoggerMessage(EventId = RegistryLogEvents.BatchChunkIgnored, Level = LogLevel.Debug, Message = "Answer for chunk {Chunk} of batch job {JobId} ignored: the job is {State}")]
    private static partial void LogIgnored(ILogger logger, string jobId, int chunk, string state);

    [LoggerMessage(EventId = RegistryLogEvents.BatchChunkFailed, Level = LogLevel.Warning, Message = "Chunk {Chunk} of batch job {JobId} failed: {Reason}")]
    private static partial void LogChunkFailed(ILogger logger, string jobId, int chunk, string reason);
}
