using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Hosting.Streams;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// <c>./orbit up --workers 2</c>: traffic through the gateway to a version with a baseline comes out on the platform's
/// streams as statistics windows from both workers and as prediction logs under the client's ids, and outcomes
/// posted to the gateway land on the outcomes stream.
/// </summary>
public sealed class DriftStreamTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;

    public DriftStreamTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        platform.Platform.Output = output;
    }

    [Fact]
    public async Task Served_rows_reach_the_stats_and_prediction_streams_and_posted_outcomes_the_outcomes_stream()
    {
        var features = string.Join(",", Enumerable.Range(0, Mlp.Features).Select(i => $$"""{"name":"f{{i}}","type":"numeric"}"""));
        var metadata = Path.Combine(_platform.Models, "drift-metadata.json");
        await File.WriteAllTextAsync(metadata, $$"""
            {
              "features": [{{features}}],
              "baseline": { "features": { "f0": { "binEdges": [-1, 0, 1], "counts": [1, 1, 1, 1] } } }
            }
            """);
        var model = await _platform.DeployAsync([1], "--stable 1", metadata);
        var random = new Random(11);
        var sent = new Dictionary<string, float[]>();
        using var http = new HttpClient { BaseAddress = _platform.Platform.Gateway };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _platform.Platform.AdminKey);
        for (var i = 0; i < 40; i++)
        {
            var id = $"client-{i}";
            var row = Mlp.RandomRow(random);
            sent[id] = row;
            var body = $$"""{"id":"{{id}}","parameters":{"log_prediction":true},"inputs":[{"name":"x","datatype":"FP32","shape":[1,{{Mlp.Features}}],"data":[{{string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}}]}]}""";
            using var response = await http.PostAsync($"/v2/models/{model}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        using var outcome = await http.PostAsync("/v1/outcomes", new StringContent($$"""[{"requestId":"client-3","model":"{{model}}","label":"1"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, outcome.StatusCode);

        await using var streams = Streams();
        var reader = streams.GetRequiredService<IStreamReader>();
        var windows = await ReadUntilAsync<FeatureStatsObserved>(reader, StreamNames.Stats, w => w.ModelName == model, ws => ws.Sum(w => w.Rows) >= 40);
        Assert.Equal(40, windows.Sum(w => w.Rows));
        Assert.Equal(sent.Values.Count(r => r[0] < -1), windows.Sum(w => w.Features["f0"].BinCounts![0]));
        Assert.Equal(sent.Values.Count(r => r[0] >= 1), windows.Sum(w => w.Features["f0"].BinCounts![3]));

        // The workers log requests in batched entries; older entries on the shared stream are one per request.
        var entries = await ReadUntilAsync<PredictionLogEntry>(reader, StreamNames.Predictions, p => p.ModelName == model, ps => ps.Sum(Count) >= 40);
        var logged = entries.SelectMany(e => e.TryExpand(out var requests, out var error) ? requests : throw new InvalidDataException(error)).ToList();
        Assert.Equal(sent.Keys.Order(), logged.Select(p => p.RequestId).Order());
        var three = logged.Single(p => p.RequestId == "client-3");
        // FP32 values are logged in float32's shortest form: read back as float32 they are exactly what was served.
        Assert.Equal(sent["client-3"], three.Rows[0].Features.Select(v => (float)v));

        var outcomes = await ReadUntilAsync<OutcomeObserved>(reader, StreamNames.Outcomes, o => o.ModelName == model, os => os.Count >= 1);
        Assert.Equal(("client-3", "admin", "1"), (outcomes[0].RequestId, outcomes[0].TenantId, outcomes[0].Label));
    }

    private static int Count(PredictionLogEntry entry) => entry.TryExpand(out var requests, out _) ? requests.Count : 0;

    private ServiceProvider Streams() => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = _platform.Platform.Environment.GetValueOrDefault("Orbit__RabbitMq__Url") ?? TestInfrastructure.RabbitMqUrl,
        }).Build())
        .AddLogging()
        .AddOrbitStreams()
        .BuildServiceProvider();

    private static async Task<List<T>> ReadUntilAsync<T>(IStreamReader reader, string stream, Func<T, bool> ours, Func<List<T>, bool> enough)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var found = new List<T>();
        await foreach (var record in reader.ReadAsync<T>(stream, 0, timeout.Token))
        {
            Assert.Null(record.Error);
            if (ours(record.Message!))
            {
                found.Add(record.Message!);
            }

            if (enough(found))
            {
                break;
            }
        }

        return found;
    }
}
