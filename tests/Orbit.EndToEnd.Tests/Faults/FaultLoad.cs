using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Orbit.EndToEnd.Tests.Inference;

namespace Orbit.EndToEnd.Tests.Faults;

/// <summary>What one request under a fault came to.</summary>
internal enum Outcome
{
    Correct,

    /// <summary>A clean refusal: 503 or 504 with an OIP error body.</summary>
    CleanRefusal,

    /// <summary>A 200 with the wrong numbers, any other status, or no answer within the client's time: lost work.</summary>
    Lost,
}

/// <summary>The figures of one fault: what the issue asks for, one row of docs/reliability.md.</summary>
internal sealed record FaultFigures(string Fault, int Accepted, int Correct, int CleanRefusals, int Lost, double? RecoverySeconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Fault} | {Accepted} | {Correct} | {CleanRefusals} | {Lost} | {(RecoverySeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "not recovered")} |");
}

/// <summary>
/// Closed-loop load on one model while a fault is injected: every request's outcome and time is
/// kept, so the figures say how many were answered correctly, refused cleanly or lost, and how long
/// after the fault the last miss was (after it, only correct answers, at least <see cref="SteadyRun"/>).
/// </summary>
internal sealed class FaultLoad(OipClient client, string model, string modelPath, int concurrency = 8)
{
    private const int SteadyRun = 20;

    private readonly ConcurrentQueue<(TimeSpan At, Outcome Outcome)> _outcomes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly float[][] _rows = Enumerable.Range(0, 64).Select(i => Mlp.RandomRow(new Random(i))).ToArray();
    private float[][] _expected = [];

    public async Task<FaultFigures> RunAsync(string fault, Func<Task> inject, TimeSpan before, TimeSpan limit)
    {
        _expected = _rows.Select(r => Mlp.RunDirect(modelPath, r)).ToArray();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, concurrency).Select(i => LoopAsync(i, stop.Token)).ToList();
        await Task.Delay(before);
        var injectedAt = _clock.Elapsed;
        await inject();
        var deadline = injectedAt + limit;
        double? recovered = null;
        while (_clock.Elapsed < deadline && (recovered = RecoveredAfter(injectedAt)) is null)
        {
            await Task.Delay(250);
        }

        // More load after recovery, longer than the gateway's 5 s key cache, so late failures would show.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        recovered = RecoveredAfter(injectedAt);
        var all = _outcomes.ToList();
        return new FaultFigures(fault, all.Count, all.Count(o => o.Outcome == Outcome.Correct),
            all.Count(o => o.Outcome == Outcome.CleanRefusal), all.Count(o => o.Outcome == Outcome.Lost), recovered);
    }

    /// <summary>
    /// Seconds from the fault to the start of the run of correct answers that lasts to the end (at
    /// least <see cref="SteadyRun"/> long): 0 when nothing after the fault went wrong; null while the
    /// answers since the last miss are fewer than that.
    /// </summary>
    private double? RecoveredAfter(TimeSpan injectedAt)
    {
        var after = _outcomes.Where(o => o.At > injectedAt).OrderBy(o => o.At).ToList();
        var lastMiss = after.FindLastIndex(o => o.Outcome != Outcome.Correct);
        if (after.Count - (lastMiss + 1) < SteadyRun)
        {
            return null;
        }

        return lastMiss < 0 ? 0 : (after[lastMiss + 1].At - injectedAt).TotalSeconds;
    }

    private async Task LoopAsync(int loop, CancellationToken stop)
    {
        var n = loop;
        while (!stop.IsCancellationRequested)
        {
            var i = n++ % _rows.Length;
            Outcome outcome;
            try
            {
                var answer = await client.InferAsync(model, _rows[i]);
                outcome = answer.Status switch
                {
                    HttpStatusCode.OK when answer.Output.SequenceEqual(_expected[i]) => Outcome.Correct,
                    HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout when answer.Body.Contains("\"error\"", StringComparison.Ordinal) => Outcome.CleanRefusal,
                    _ => Outcome.Lost,
                };
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The client gave up (30 s) or the gateway dropped the connection: the request was lost.
                outcome = Outcome.Lost;
            }

            _outcomes.Enqueue((_clock.Elapsed, outcome));
            if (outcome != Outcome.Correct)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
