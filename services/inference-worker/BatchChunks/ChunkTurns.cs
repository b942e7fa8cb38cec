using System.Collections.Concurrent;

namespace Orbit.InferenceWorker.BatchChunks;

/// <summary>
/// One batch chunk of a model runs at a time on this worker. The chunk consumer takes two messages at once, so that
/// the next chunk is read and checked while one runs and one's answer is sent while the next runs; this turn keeps
/// the runs themselves one after another, each starting only when no real-time work is waiting.
/// </summary>
internal sealed class ChunkTurns
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    /// <summary>Waits for the model's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> TakeAsync(string tenantId, string modelName, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(tenantId + "/" + modelName, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
