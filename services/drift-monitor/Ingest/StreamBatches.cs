using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor.Ingest;

/// <summary>
/// Reads a stream from an offset and hands it out in batches: as many records as are already waiting, up to
/// <c>max</c>, so a busy stream commits in large transactions and a quiet one commits each record at once.
/// </summary>
internal static class StreamBatches
{
    public static async IAsyncEnumerable<List<StreamRecord<T>>> ReadAsync<T>(
        IStreamReader reader, string stream, long from, int max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = Channel.CreateBounded<StreamRecord<T>>(max * 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var record in reader.ReadAsync<T>(stream, from, stop.Token))
                {
                    await buffer.Writer.WriteAsync(record, stop.Token);
                }

                buffer.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                buffer.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        try
        {
            while (await buffer.Reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<StreamRecord<T>>(max);
                while (batch.Count < max && buffer.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await pump;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }
}
