using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Ingest;
using Orbit.DriftMonitor.Storage;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor.Accuracy;

/// <summary>
/// Consumes <c>orbit.predictions</c> and <c>orbit.outcomes</c>, each from its committed offset, into the join. A message
/// that does not parse or is incomplete goes to the error queue with the reason, as statistics do.
/// </summary>
internal sealed partial class AccuracyIngestor(
    IStreamReader reader,
    DriftStore drift,
    AccuracyStore store,
    MassTransit.IBus bus,
    IOptions<DriftMonitorOptions> options,
    TimeProvider time,
    ILogger<AccuracyIngestor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        KeepReadingAsync(options.Value.PredictionsStream, PredictionsAsync, stoppingToken),
        KeepReadingAsync(options.Value.OutcomesStream, OutcomesAsync, stoppingToken));

    private async Task KeepReadingAsync(string stream, Func<string, long, CancellationToken, Task> read, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await drift.NextOffsetAsync(stream, stoppingToken);
                LogResumed(logger, stream, next);
                await read(stream, next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex, stream);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private async Task PredictionsAsync(string stream, long from, CancellationToken cancellationToken)
    {
        await foreach (var batch in StreamBatches.ReadAsync<PredictionLogEntry>(reader, stream, from, options.Value.CommitBatch, cancellationToken))
        {
            var rows = new List<LoggedPrediction>();
            var rejected = new List<StreamMessageRejected>();
            var now = time.GetUtcNow();
            foreach (var record in batch)
            {
                // One request per entry, or (what the workers publish) a batch of one version's requests.
                if (record.Message is not { } entry)
                {
                    rejected.Add(new StreamMessageRejected(stream, record.Offset, $"malformed: {record.Error}", null, now));
                    continue;
                }

                if (!entry.TryExpand(out var requests, out var incomplete))
                {
                    rejected.Add(new StreamMessageRejected(stream, record.Offset, incomplete!, null, now));
                    continue;
                }

                foreach (var m in requests)
                {
                    for (var i = 0; i < m.Rows.Count; i++)
                    {
                        var row = m.Rows[i];
                        var label = row.Label ?? (row.Prediction.Count > 1 ? ArgMax(row.Prediction).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
                        double? value = row.Prediction.Count == 1 ? row.Prediction[0] : null;
                        rows.Add(new LoggedPrediction(m.TenantId, m.ModelName, m.RequestId, i, m.ModelVersion, label, value, m.At.ToUnixTimeMilliseconds()));
                    }
                }
            }

            await SendAsync(rejected, cancellationToken);
            await store.AddPredictionsAsync(stream, batch[^1].Offset + 1, rows, now.ToUnixTimeMilliseconds(), cancellationToken);
        }
    }

    private async Task OutcomesAsync(string stream, long from, CancellationToken cancellationToken)
    {
        await foreach (var batch in StreamBatches.ReadAsync<OutcomeObserved>(reader, stream, from, options.Value.CommitBatch, cancellationToken))
        {
            var outcomes = new List<Outcome>();
            var rejected = new List<StreamMessageRejected>();
            var now = time.GetUtcNow();
            foreach (var record in batch)
            {
                if (record.Message is not { } m || string.IsNullOrWhiteSpace(m.RequestId) || string.IsNullOrWhiteSpace(m.TenantId)
                    || string.IsNullOrWhiteSpace(m.ModelName) || m.Row < 0 || (m.Label is null) == (m.Value is null))
                {
                    rejected.Add(new StreamMessageRejected(stream, record.Offset,
                        record.Error is { } e ? $"malformed: {e}" : "requestId, tenantId, modelName, a row ≥ 0 and exactly one of label and value are required", null, now));
                    continue;
                }

                outcomes.Add(new Outcome(m.TenantId, m.ModelName, m.RequestId, m.Row, m.Label, m.Value));
            }

            await SendAsync(rejected, cancellationToken);
            await store.AddOutcomesAsync(stream, batch[^1].Offset + 1, outcomes, now.ToUnixTimeMilliseconds(), cancellationToken);
        }
    }

    private async Task SendAsync(List<StreamMessageRejected> rejected, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }

        var endpoint = await bus.GetSendEndpoint(new Uri("queue:" + options.Value.ErrorQueue));
        foreach (var message in rejected)
        {
            await endpoint.Send(message, cancellationToken);
        }
    }

    private static int ArgMax(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    [LoggerMessage(EventId = DriftMonitorLogEvents.AccuracyResumed, Level = LogLevel.Information, Message = "Reading stream {Stream} from offset {Offset}")]
    private static partial void LogResumed(ILogger logger, string stream, long offset);

    [LoggerMessage(EventId = DriftMonitorLogEvents.AccuracyFailed, Level = LogLevel.Error, Message = "Consuming {Stream} failed; resuming from the committed offset")]
    private static partial void LogFailed(ILogger logger, Exception exception, string stream);
}
