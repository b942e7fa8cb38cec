using System.Collections.Concurrent;
using System.Net;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

public sealed class WorkerLossTests : IClassFixture<InferencePlatform>
{
    private const int Clients = 8;

    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;

    public WorkerLossTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
    }

    /// <summary>
    /// Worker 1 is frozen (SIGSTOP) under load, so the requests RabbitMQ delivered to it stay unacknowledged
    /// there: the clients waiting on them are exactly the requests in flight on that worker. Then it is killed
    /// (SIGKILL). Its connection drops, RabbitMQ requeues what it never acknowledged, and worker 2 answers it
    /// (or, past the request's deadline, the gateway answers 504). Every wait is bounded.
    /// </summary>
    [Fact]
    public async Task Requests_in_flight_on_a_killed_worker_are_redelivered_to_the_survivor_and_every_request_is_answered()
    {
        var model = await _platform.DeployAsync([21], "--stable 1");
        var path = Path.Combine(_platform.Models, "mlp-21.onnx");
        using var client = new OipClient(_platform.Platform.Gateway, _platform.Platform.AdminKey);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(_ => Mlp.RandomRow(random)).ToList();
        var expected = rows.Select(r => Mlp.RunDirect(path, r)).ToList();
        var outcomes = new ConcurrentDictionary<int, OipAnswer>();
        var inFlight = new ConcurrentDictionary<int, bool>();
        var victim = _platform.Platform.Pids()["inference-worker-1"];

        var load = Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, cancellationToken) =>
        {
            inFlight[i] = true;
            outcomes[i] = await client.InferAsync(model, rows[i]);
            inFlight.TryRemove(i, out _);
        });
        await Eventually.GetAsync(() => Task.FromResult(outcomes.Count >= 50 ? "started" : null), TimeSpan.FromSeconds(60), "50 answers before the freeze");

        Signal(victim, "STOP");
        // Worker 2 answers in milliseconds, so each client soon waits on a request held by the frozen worker
        // (its prefetch is larger than the number of clients). When all of them wait on the same requests
        // across two looks, those requests are the ones in flight on worker 1.
        int[]? previous = null;
        var stuck = await Eventually.GetAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var now = inFlight.Keys.Order().ToArray();
            var same = previous is not null && now.Length == Clients && now.SequenceEqual(previous);
            previous = now;
            return same ? now : null;
        }, TimeSpan.FromSeconds(60), "every client to wait on a request held by the frozen worker");

        Signal(victim, "KILL");
        await load.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(rows.Count, outcomes.Count);
        foreach (var (i, answer) in outcomes)
        {
            if (answer.Status == HttpStatusCode.OK)
            {
                Assert.Equal(expected[i], answer.Output);
            }
            else
            {
                Assert.Contains(answer.Status, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout });
                Assert.False(string.IsNullOrEmpty(answer.Error));
            }
        }

        var redelivered = stuck.Count(i => outcomes[i].Status == HttpStatusCode.OK && outcomes[i].Worker == "inference-worker-2");
        var refused = stuck.Count(i => outcomes[i].Status != HttpStatusCode.OK);
        _output.WriteLine($"{stuck.Length} requests in flight on the killed worker: {redelivered} redelivered and answered by worker 2, {refused} answered 503/504");
        Assert.Equal(stuck.Length, redelivered + refused);
        Assert.True(redelivered > 0, $"none of the {stuck.Length} requests held by the killed worker was redelivered ({refused} timed out)");

        var after = await client.InferAsync(model, rows[0]);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal("inference-worker-2", after.Worker);

        // The operator replaces it while the platform runs; the new worker warms the model and takes requests.
        await _platform.Platform.OrbitOkAsync("scale workers 2");
        var fleet = await Eventually.GetAsync(async () =>
        {
            var listed = await _platform.Platform.OrbitOkAsync("workers --json");
            return listed.Contains("inference-worker-1", StringComparison.Ordinal) && listed.Split(model).Length - 1 >= 2
                && listed.Split("\"loadedModels\"").Length == 3 ? listed : null;
        }, TimeSpan.FromSeconds(60), "both workers in ./orbit workers with the model loaded");
        Assert.Contains("inference-worker-2", fleet);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!kill.WaitForExit(TimeSpan.FromSeconds(10)) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed");
        }
    }
}
