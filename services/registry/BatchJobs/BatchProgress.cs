using System.Collections.Concurrent;
using MassTransit;
using Orbit.Contracts.Batch;

namespace Orbit.Registry.BatchJobs;

/// <summary>Publishes a job's progress as its chunks complete, at most once a second per job, and its end once.</summary>
internal sealed class BatchProgress(IBus bus, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);

    public async Task ChunkDoneAsync(BatchJobRow job, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = _last.GetOrAdd(job.Id, 0);
        if (last != 0 && time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1) && job.RowsDone + job.RowsFailed < job.RowsTotal)
        {
            return;
        }

        _last[job.Id] = now;
        var at = time.GetUtcNow();
        var (rate, eta) = job.Pace(at);
        await bus.Publish(new BatchJobProgressed(job.Id, job.TenantId, job.ModelName, job.RowsDone, job.RowsTotal, job.RowsFailed, rate, eta, at), cancellationToken);
    }

    public async Task FinishedAsync(BatchJobRow job, string state, string? reason, CancellationToken cancellationToken)
    {
        _last.TryRemove(job.Id, out _);
        await bus.Publish(new BatchJobFinished(job.Id, job.TenantId, job.ModelName, state, job.RowsDone, job.RowsFailed, reason, time.GetUtcNow()), cancellationToken);
    }
}
