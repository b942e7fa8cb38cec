using System.Collections.Concurrent;
using System.Net;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

public sealed class WorkerLossTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;

    public WorkerLossTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task Killing_a_worker_under_load_leaves_every_request_answered_correctly_or_refused_cleanly()
    {
        var model = await _platform.DeployAsync([21], "--stable 1");
        var path = Path.Combine(_platform.Models, "mlp-21.onnx");
        using var client = new OipClient(_platform.Platform.Gateway, _platform.Platform.AdminKey);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(_ => Mlp.RandomRow(random)).ToList();
        var expected = rows.Select(r => Mlp.RunDirect(path, r)).ToList();
        var outcomes = new ConcurrentDictionary<int, OipAnswer>();
        var victim = _platform.Platform.Pids()["inference-worker-1"];

        var load = Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            outcomes[i] = await client.InferAsync(model, rows[i]));
        while (outcomes.Count < 100)
        {
            await Task.Delay(20);
        }

        System.Diagnostics.Process.GetProcessById(victim).Kill();
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

        Assert.True(outcomes.Values.Count(a => a.Status == HttpStatusCode.OK) > rows.Count / 2, "most requests should still be answered by the surviving worker");
        var after = await client.InferAsync(model, rows[0]);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal("inference-worker-2", after.Worker);

        // The operator replaces it while the platform runs; the new worker warms the model and takes requests.
        await _platform.Platform.OrbitOkAsync("scale workers 2");
        var fleet = await Orbit.Testing.Eventually.GetAsync(async () =>
        {
            var listed = await _platform.Platform.OrbitOkAsync("workers --json");
            return listed.Contains("inference-worker-1", StringComparison.Ordinal) && listed.Split(model).Length - 1 >= 2
                && listed.Split("\"loadedModels\"").Length == 3 ? listed : null;
        }, TimeSpan.FromSeconds(60), "both workers in ./orbit workers with the model loaded");
        Assert.Contains("inference-worker-2", fleet);
    }
}
