using Orbit.Hosting.Streams;

namespace Orbit.Retrainer.Data;

/// <summary>
/// Reads a stream from an offset until it goes quiet: the streams never end, so a read ends after
/// <c>idle</c> without a new record (<c>firstRecord</c> for the first one: connecting and attaching a consumer takes
/// a while), or when the visitor says it has seen enough.
/// </summary>
internal static class StreamScan
{
    /// <param name="visit">Called for every record in offset order; false ends the read.</param>
    public static async Task ReadUntilIdleAsync<T>(
        IStreamReader streams, string stream, long fromOffset, TimeSpan firstRecord, TimeSpan idle, TimeProvider time,
        Func<StreamRecord<T>, bool> visit, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var records = streams.ReadAsync<T>(stream, fromOffset, stop.Token).GetAsyncEnumerator(stop.Token);
        var wait = firstRecord > idle ? firstRecord : idle;
        try
        {
            while (true)
            {
                var next = records.MoveNextAsync().AsTask();
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var idleTimer = Task.Delay(wait, time, quiet.Token);
                    if (await Task.WhenAny(next, idleTimer) != next)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await stop.CancelAsync();
                        await Observe(next);
                        return;
                    }

                    await quiet.CancelAsync();
                    wait = idle;
                }

                if (!await next || !visit(records.Current))
                {
                    return;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await records.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                // The read was stopped on purpose.
            }
        }
    }

    private static async Task Observe(Task<bool> next)
    {
        try
        {
            await next;
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the idle stop.
        }
    }
}
