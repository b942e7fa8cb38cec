using Orbit.Contracts.Drift;
using Orbit.Hosting.Streams;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>Where to start reading the two streams; <see cref="LoggedDataReader"/> says where the next read may start.</summary>
internal readonly record struct StreamPositions(long Predictions, long Outcomes);

/// <summary>
/// Builds a model's labelled rows from the streams: its logged rows (<see cref="PredictionLogEntry"/>: one request or a batch) newer than the period's
/// start (<c>orbit.predictions</c>) joined by request id and row with <see cref="OutcomeObserved"/>
/// (<c>orbit.outcomes</c>; the last outcome of a row wins). Rows come out in (time, request id, row) order, so the same
/// records always make the same table.
/// </summary>
internal sealed class LoggedDataReader(IStreamReader streams, TimeProvider time)
{
    public async Task<(LoggedData Data, StreamPositions Next)> ReadAsync(
        string tenant, string model, DateTimeOffset since, LearningTask? task, string positiveLabel,
        StreamPositions from, DataSettings settings, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var idle = TimeSpan.FromMilliseconds(settings.IdleMilliseconds);
        var first = TimeSpan.FromMilliseconds(settings.FirstRecordMilliseconds);
        var logged = new Dictionary<(string, int), (DateTimeOffset At, int Version, IReadOnlyList<string> Names, double[] Features)>();
        var unparsable = 0;
        long? firstPrediction = null;
        await StreamScan.ReadUntilIdleAsync<PredictionLogEntry>(streams, settings.PredictionsStream, from.Predictions, first, idle, time, record =>
        {
            // One request per entry, or (what the workers publish) a batch of one version's requests.
            if (record.Message is not { } entry || !entry.TryExpand(out var requests, out _))
            {
                unparsable++;
                return true;
            }

            var latest = DateTimeOffset.MinValue;
            foreach (var message in requests)
            {
                latest = message.At > latest ? message.At : latest;
                if (message.At >= since)
                {
                    firstPrediction ??= record.Offset;
                }

                if (message.TenantId == tenant && message.ModelName == model && message.At >= since)
                {
                    for (var row = 0; row < message.Rows.Count; row++)
                    {
                        logged[(message.RequestId, row)] = (message.At, message.ModelVersion, message.FeatureNames, [.. message.Rows[row].Features]);
                    }
                }
            }

            // Records appended after this read began are left for the next one: a busy stream would never go quiet.
            return latest <= started;
        }, cancellationToken);

        var outcomes = new Dictionary<(string, int), OutcomeObserved>();
        long? firstOutcome = null;
        await StreamScan.ReadUntilIdleAsync<OutcomeObserved>(streams, settings.OutcomesStream, from.Outcomes, first, idle, time, record =>
        {
            if (record.Message is not { } message)
            {
                unparsable++;
                return true;
            }

            if (message.ObservedAt >= since)
            {
                firstOutcome ??= record.Offset;
            }

            if (message.TenantId == tenant && message.ModelName == model && message.ObservedAt >= since)
            {
                outcomes[(message.RequestId, message.Row)] = message;
            }

            return message.ObservedAt <= started;
        }, cancellationToken);

        var data = Join(logged, outcomes, task, positiveLabel, unparsable);
        return (data, new StreamPositions(firstPrediction ?? from.Predictions, firstOutcome ?? from.Outcomes));
    }

    private static LoggedData Join(
        Dictionary<(string RequestId, int Row), (DateTimeOffset At, int Version, IReadOnlyList<string> Names, double[] Features)> logged,
        Dictionary<(string RequestId, int Row), OutcomeObserved> outcomes,
        LearningTask? task,
        string positiveLabel,
        int unparsable)
    {
        var names = logged.Count == 0 ? [] : logged.Values.MaxBy(v => v.At).Names;
        var resolved = task ?? (outcomes.Count == 0 ? null : OutcomeLabels.TaskOf(outcomes.Values.First()));
        var examples = new List<LabelledExample>();
        int unmatched = 0, otherSchema = 0;
        foreach (var (key, outcome) in outcomes)
        {
            if (!logged.TryGetValue(key, out var served))
            {
                unmatched++;
                continue;
            }

            if (!served.Names.SequenceEqual(names) || served.Features.Length != names.Count)
            {
                otherSchema++;
                continue;
            }

            if (OutcomeLabels.ToLabel(outcome, resolved!.Value, positiveLabel) is not { } label)
            {
                unparsable++;
                continue;
            }

            examples.Add(new LabelledExample(key.RequestId, key.Row, served.At, served.Version, [.. served.Features.Select(f => (float)f)], label));
        }

        examples.Sort((a, b) =>
        {
            var byTime = a.At.CompareTo(b.At);
            if (byTime != 0)
            {
                return byTime;
            }

            var byId = string.CompareOrdinal(a.RequestId, b.RequestId);
            return byId != 0 ? byId : a.Row.CompareTo(b.Row);
        });
        return new LoggedData(names, examples, logged.Count, outcomes.Count, unmatched, otherSchema, unparsable, resolved);
    }
}
