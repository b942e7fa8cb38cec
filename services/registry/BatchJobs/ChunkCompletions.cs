namespace Orbit.Registry.BatchJobs;

/// <summary>A chunk's answer to count: its rows done and failed.</summary>
internal readonly record struct ChunkCompletion(string JobId, int Chunk, long RowsDone, long RowsFailed);

/// <summary>
/// Counts chunk answers in groups (a group commit): answers that arrive while a commit runs wait for the next one,
/// which takes them all in one transaction. Each caller returns only once its own answer is committed, so a chunk's
/// message is still acknowledged only after its part is written and counted.
/// </summary>
internal sealed class ChunkCompletions(BatchJobRepository jobs)
{
    private readonly Lock _lock = new();
    private List<(ChunkCompletion Completion, TaskCompletionSource<(bool, BatchJobRow?)> Done)> _waiting = [];
    private bool _committing;

    /// <summary>Whether the chunk was counted (false when it was done already), and its job as it is after it.</summary>
    public async Task<(bool Counted, BatchJobRow? Job)> CompleteAsync(ChunkCompletion completion)
    {
        var done = new TaskCompletionSource<(bool, BatchJobRow?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_lock)
        {
            _waiting.Add((completion, done));
            lead = !_committing;
            _committing = true;
        }

        if (lead)
        {
            await CommitWhileWaitingAsync();
        }

        return await done.Task;
    }

    /// <summary>The first caller commits every group that gathers until none is left; the others wait for theirs.</summary>
    private async Task CommitWhileWaitingAsync()
    {
        while (true)
        {
            List<(ChunkCompletion Completion, TaskCompletionSource<(bool, BatchJobRow?)> Done)> group;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _committing = false;
                    return;
                }

                group = _waiting;
                _waiting = [];
            }

            try
            {
                // Not cancelled with one caller's message: the group holds others' answers too.
                var (counted, after) = await jobs.CompleteChunksAsync(group.Select(g => g.Completion).ToList(), CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult((counted[i], after.FirstOrDefault(j => j.Id == group[i].Completion.JobId)));
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in group)
                {
                    done.SetException(ex);
                }
            }
        }
    }
}
