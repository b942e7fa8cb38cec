using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Drives every job that has work left: stages a new job's input into chunks (a job runs from its first staged chunk), keeps up to
/// <see cref="BatchJobOptions.MaxChunksInFlight"/> chunks of each running job on its model's batch queue, ends a
/// job when its last chunk is done (or fails it past its error ratio), and merges the parts into the output.
/// At start, every chunk sent before is sent again: a restarted registry resumes where its jobs were, and a
/// chunk that is answered twice still has one part. Chunks are sent as transient messages (the registry's store, not
/// the broker's disk, is what keeps them), so they are also sent again when the broker connection comes back
/// (<see cref="BrokerReconnectResend"/>). They travel in the binary wire format (<see cref="InferenceWireFormat"/>).
/// </summary>
internal sealed partial class BatchScheduler(
    BatchJobRepository jobs,
    BatchFiles files,
    BatchChunkStore store,
    InputStager stager,
    BatchProgress progress,
    InFlightResend resend,
    IBus sender,
    IOptions<BatchJobOptions> options,
    TimeProvider time,
    ILogger<BatchScheduler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ConcurrentDictionary<string, Task> _staging = new(StringComparer.Ordinal);
    private DateTimeOffset _nextResend = DateTimeOffset.MinValue;

    /// <summary>Wakes the scheduler: a job was submitted or cancelled, or a chunk completed.</summary>
    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // At start (whatever was sent before a restart), and after the broker connection came back.
                if (resend.Take())
                {
                    var again = await jobs.ResendAsync(long.MaxValue, stoppingToken);
                    if (again > 0)
                    {
                        LogResumed(logger, again);
                    }
                }

                await PassAsync(stoppingToken);
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One look at every job with work left.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= _nextResend)
        {
            _nextResend = now + TimeSpan.FromSeconds(5);
            await jobs.ResendAsync((now - TimeSpan.FromSeconds(options.Value.ResendAfterSeconds)).ToUnixTimeMilliseconds(), cancellationToken);
        }

        foreach (var job in await jobs.ActiveAsync(cancellationToken))
        {
            if (job.State is BatchJobStates.Preparing or BatchJobStates.Running && job.Staged == 0)
            {
                StartStaging(job, cancellationToken);
            }

            if (job.State == BatchJobStates.Running)
            {
                await RunAsync(job, cancellationToken);
            }
            else if (BatchJobStates.IsFinal(job.State))
            {
                await MergeAsync(job, cancellationToken);
            }
        }
    }

    private void StartStaging(BatchJobRow job, CancellationToken cancellationToken)
    {
        if (_staging.ContainsKey(job.Id))
        {
            return;
        }

        _staging[job.Id] = Task.Run(async () =>
        {
            try
            {
                await StageAsync(job, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStagingFailed(logger, ex, job.Id);
                var reason = ex is InvalidDataException or IOException ? "the input could not be read: " + ex.Message : "the input could not be staged; see the registry's log";
                if (await jobs.FinishAsync(job.Id, BatchJobStates.Failed, reason, CancellationToken.None))
                {
                    await progress.FinishedAsync(job, BatchJobStates.Failed, reason, CancellationToken.None);
                }
            }
            finally
            {
                _staging.TryRemove(job.Id, out _);
                Notify();
            }
        }, CancellationToken.None);
    }

    private async Task StageAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        // The first chunk is recorded at once, so the job starts; later ones in groups, to keep staging moving.
        var unrecorded = new List<(int Chunk, int Rows)>();
        long rowsRead = 0;
        async Task RecordAsync()
        {
            if (unrecorded.Count > 0)
            {
                await jobs.AddChunksAsync(job.Id, unrecorded, rowsRead, cancellationToken);
                unrecorded.Clear();
                Notify();
            }
        }

        var result = await stager.StageAsync(job, async (chunk, rows, read) =>
        {
            unrecorded.Add((chunk, rows));
            rowsRead = read;
            if (chunk == 0 || unrecorded.Count >= 8)
            {
                await RecordAsync();
            }
        }, cancellationToken);
        await RecordAsync();
        var reason = OverErrorRatio(result.RowsFailed, result.RowsTotal, job.MaxErrorRatio);
        await jobs.StagedAsync(job.Id, result.RowsTotal, result.RowsFailed, result.ChunkRows.Count, reason, cancellationToken);
        LogStaged(logger, job.Id, result.RowsTotal, result.RowsFailed, result.ChunkRows.Count);
        if (reason is not null)
        {
            await progress.FinishedAsync(job, BatchJobStates.Failed, reason, cancellationToken);
        }
    }

    private async Task RunAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        if (job.Staged == 1 && job.ChunksDone >= job.ChunksTotal)
        {
            await CompleteAsync(job, cancellationToken);
            return;
        }

        // Refilled a quarter of the window at a time: one look at the chunks and one write per group, not per answer.
        var maxInFlight = options.Value.MaxChunksInFlight;
        var (_, pending) = await jobs.NextChunksAsync(job.Id, maxInFlight, cancellationToken, minimumGroup: Math.Max(1, maxInFlight / 4));
        if (pending.Count == 0)
        {
            return;
        }

        var endpoint = await sender.GetSendEndpoint(new Uri("queue:" + BatchAddresses.Queue(job.TenantId, job.ModelName)));
        var mapping = job.Mapping;
        await Task.WhenAll(pending.Select(async chunk =>
        {
            var staged = await store.ReadChunkAsync(job.Id, chunk, cancellationToken);
            var inputs = mapping.Inputs.Select((input, i) => new InferenceTensor(
                input.Name, input.Datatype, [staged.Rows.Length, .. input.RowShape], RawData: staged.Inputs[i])).ToList();
            await endpoint.Send(new BatchChunkRequested(
                job.Id, chunk, job.TenantId, job.ModelName, (int)job.ModelVersion, job.Digest, staged.Rows.Length, inputs, (int?)job.MaxBatchSize),
                context =>
                {
                    context.Durable = false;
                    // The rows travel as raw bytes, not base64 (workers read both forms, so upgrade them first).
                    context.UseInferenceWire();
                },
                cancellationToken);
        }));

        await jobs.MarkSentAsync(job.Id, pending, cancellationToken);
    }

    private async Task CompleteAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        if (OverErrorRatio(job.RowsFailed, job.RowsTotal, job.MaxErrorRatio) is { } reason)
        {
            if (await jobs.FinishAsync(job.Id, BatchJobStates.Failed, reason, cancellationToken))
            {
                await progress.FinishedAsync(job, BatchJobStates.Failed, reason, cancellationToken);
            }

            return;
        }

        await MergeAsync(job, cancellationToken);
        if (await jobs.FinishAsync(job.Id, BatchJobStates.Completed, null, cancellationToken))
        {
            LogCompleted(logger, job.Id, job.RowsDone, job.RowsFailed);
            await progress.FinishedAsync(job, BatchJobStates.Completed, null, cancellationToken);
        }
    }

    /// <summary>Merges the parts there are, in chunk order, into the output (a cancelled job's output holds what was done).</summary>
    private async Task MergeAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        var keep = job.Mapping.Keep;
        if (OutputMerger.WritesFragments(job.OutputFormat))
        {
            var fragments = await store.FragmentsAsync(job.Id, (int)job.ChunksTotal, job.OutputFormat, keep, cancellationToken);
            await BatchFiles.WriteAtomicallyAsync(files.Output(job.Id, job.OutputFormat),
                stream => OutputMerger.ConcatenateAsync(job.OutputFormat, stream, keep, fragments, cancellationToken));
        }
        else
        {
            var parts = Enumerable.Range(0, (int)job.ChunksTotal)
                .Where(c => store.HasPart(job.Id, c))
                .Select(c => (Func<Task<PartFile>>)(() => store.ReadPartAsync(job.Id, c, cancellationToken)))
                .ToList();
            await BatchFiles.WriteAtomicallyAsync(files.Output(job.Id, job.OutputFormat),
                stream => OutputMerger.WriteAsync(job.OutputFormat, stream, keep, parts, cancellationToken));
        }

        await jobs.OutputReadyAsync(job.Id, cancellationToken);
    }

    /// <summary>Why a job with <paramref name="failed"/> of <paramref name="total"/> rows failed fails as a whole, or null when it does not.</summary>
    public static string? OverErrorRatio(long failed, long total, double maxRatio)
    {
        if (failed == 0 || total == 0 || (double)failed / total <= maxRatio)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{failed} of {total} rows ({100.0 * failed / total:0.##}%) failed, over the job's error limit of {100 * maxRatio:0.##}% (maxErrorRatio); see the errors file");
    }

    [LoggerMessage(EventId = RegistryLogEvents.BatchResumed, Level = LogLevel.Information, Message = "Resuming batch jobs: {Chunks} chunks sent before a restart or a lost broker connection are sent again")]
    private static partial void LogResumed(ILogger logger, int chunks);

    [LoggerMessage(EventId = RegistryLogEvents.BatchPassFailed, Level = LogLevel.Error, Message = "The batch scheduler's pass failed; it tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = RegistryLogEvents.BatchStagingFailed, Level = LogLevel.Warning, Message = "Batch job {JobId}: its input could not be staged")]
    private static partial void LogStagingFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = RegistryLogEvents.BatchStaged, Level = LogLevel.Information, Message = "Batch job {JobId}: {Rows} rows read, {Failed} unreadable, {Chunks} chunks")]
    private static partial void LogStaged(ILogger logger, string jobId, long rows, long failed, int chunks);

    [LoggerMessage(EventId = RegistryLogEvents.BatchCompleted, Level = LogLevel.Information, Message = "Batch job {JobId} completed: {Rows} rows, {Failed} failed")]
    private static partial void LogCompleted(ILogger logger, string jobId, long rows, long failed);
}
