using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// Real-time inference through real processes: gateway, registry and two workers over RabbitMQ,
/// models pushed and deployed with the CLI, requests over HTTP as any client sends them.
/// </summary>
public sealed class InferenceTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;

    public InferenceTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task Inference_over_HTTP_equals_a_direct_Orbit_Onnx_run_and_both_workers_take_requests()
    {
        var model = await _platform.DeployAsync([11], "--stable 1");
        using var client = Client();
        var random = new Random(1);
        var path = Path.Combine(_platform.Models, "mlp-11.onnx");
        var workers = new HashSet<string>();

        // Rounds of concurrent requests until both workers have answered some (the broker decides who takes what).
        for (var round = 0; round < 20 && workers.Count < 2; round++)
        {
            var rows = Enumerable.Range(0, 20).Select(_ => Mlp.RandomRow(random)).ToList();
            var answers = await Task.WhenAll(rows.Select(row => client.InferAsync(model, row)));
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.True(answers[i].Status == HttpStatusCode.OK, answers[i].Body);
                Assert.Equal(Mlp.RunDirect(path, rows[i]), answers[i].Output);
                Assert.Equal(1, answers[i].Version);
                workers.Add(answers[i].Worker);
            }
        }

        Assert.Equal(["inference-worker-1", "inference-worker-2"], workers.Order());
    }

    [Fact]
    public async Task Batched_and_unbatched_results_are_identical()
    {
        var model = await _platform.DeployAsync([12], "--stable 1");
        using var client = Client();
        var random = new Random(2);
        var rows = Enumerable.Range(0, 64).Select(_ => Mlp.RandomRow(random)).ToList();

        var together = await Task.WhenAll(rows.Select(row => client.InferAsync(model, row)));
        var alone = new List<OipAnswer>();
        foreach (var row in rows)
        {
            alone.Add(await client.InferAsync(model, row));
        }

        Assert.Contains(together, a => a.BatchSize > 1);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(alone[i].Output, together[i].Output);
        }
    }

    [Fact]
    public async Task A_90_10_split_holds_over_1000_requests_and_a_routing_key_is_sticky()
    {
        var model = await _platform.DeployAsync([13, 14], "--stable 1 --candidate 2 --weight 10");
        using var client = Client();
        var row = Mlp.RandomRow(new Random(3));

        var versions = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
        {
            var answer = await client.InferAsync(model, row);
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
            versions.Add(answer.Version);
        });
        var sticky = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            sticky.Add((await client.InferAsync(model, row, routingKey: "customer-42")).Version);
        }

        Assert.InRange(versions.Count(v => v == 2), 60, 140);
        Assert.Single(sticky.Distinct());
    }

    [Fact]
    public async Task Wrong_inputs_are_400_naming_the_input_and_another_tenants_model_is_404()
    {
        var model = await _platform.DeployAsync([15], "--stable 1");
        using var client = Client();
        var row = Mlp.RandomRow(new Random(4));

        var wrongName = await client.InferAsync(model, row, inputName: "features");
        var wrongType = await client.InferAsync(model, row.Select(v => (float)Math.Round(v)).ToArray(), datatype: "INT64");
        var wrongShape = await client.InferAsync(model, [.. row, 1f], features: Mlp.Features + 1);
        using var stranger = new OipClient(_platform.Platform.Gateway, await StrangerKeyAsync());
        var foreign = await stranger.InferAsync(model, row);

        Assert.Equal((HttpStatusCode.BadRequest, true), (wrongName.Status, wrongName.Error.Contains("features", StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.BadRequest, true), (wrongType.Status, wrongType.Error.Contains('x')));
        Assert.Equal((HttpStatusCode.BadRequest, true), (wrongShape.Status, wrongShape.Error.Contains('x')));
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
    }

    private OipClient Client() => new(_platform.Platform.Gateway, _platform.Platform.AdminKey);

    private async Task<string> StrangerKeyAsync()
    {
        using var admin = Client();
        admin.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _platform.Platform.AdminKey);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.Http.PostAsJsonAsync("/v1/tenants", new { id = tenant })).EnsureSuccessStatusCode();
        var created = await (await admin.Http.PostAsJsonAsync("/v1/keys", new { role = "predictor", tenantId = tenant })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return created.GetProperty("key").GetString()!;
    }
}
