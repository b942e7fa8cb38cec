using System.Text.Json;
using System.Text.RegularExpressions;
using Orbit.Contracts.Drift;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Hosting.Tests.Streams;

/// <summary>docs/streams.md's pika example, run as it is with Debian's Python against the real broker.</summary>
public sealed partial class PikaExampleTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_documented_pika_example_reads_windows_from_an_offset_until_caught_up_and_publishes_an_outcome_Orbit_can_read()
    {
        if (!File.Exists(Python) || (await Shell.RunAsync(Python, "-c \"import pika\"", RepositoryRoot.Path, null, TimeSpan.FromSeconds(30))).ExitCode != 0)
        {
            Assert.Fail($"{Python} with pika is needed (Debian package python3-pika, installed by ./orbit deps)");
        }

        var stats = StreamTestServices.UniqueStream("pika-stats");
        var outcomes = StreamTestServices.UniqueStream("pika-outcomes");
        await using var services = new StreamTestServices();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                await services.Publisher.PublishAsync(stats, Window(i), CancellationToken.None);
            }

            // Orbit's services declare the outcomes stream (the gateway on its first publish); here, the test does.
            await using (var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync(outcomes, true, false, false, Orbit.Hosting.Streams.StreamDeclarations.Arguments(new Orbit.Hosting.Streams.StreamRetention()));
            }

            var script = Path.Combine(Path.GetTempPath(), $"orbit-pika-{Guid.NewGuid():N}.py");
            await File.WriteAllTextAsync(script, DocumentedExample());
            ShellResult result;
            try
            {
                result = await Shell.RunAsync(Python, script, RepositoryRoot.Path, new Dictionary<string, string>
                {
                    ["ORBIT_RABBITMQ"] = TestInfrastructure.RabbitMqUrl,
                    ["ORBIT_STREAM"] = stats,
                    ["ORBIT_OFFSET"] = "1",
                    ["ORBIT_QUIET"] = "2",
                    ["ORBIT_OUTCOMES"] = outcomes,
                }, TimeSpan.FromSeconds(60));
            }
            finally
            {
                File.Delete(script);
            }

            Assert.True(result.ExitCode == 0, result.Output);
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal([1L, 2, 3], lines.Select(l => l.GetProperty("offset").GetInt64()));
            Assert.Equal(["churn-1", "churn-2", "churn-3"], lines.Select(l => l.GetProperty("model").GetString()));
            Assert.Equal([11L, 12, 13], lines.Select(l => l.GetProperty("rows").GetInt64()));

            var outcome = Assert.Single(await StreamRoundTripTests.ReadAsync<OutcomeObserved>(services.Reader, outcomes, 0, 1));
            Assert.Null(outcome.Error);
            Assert.Equal(("client-7", "acme", "churn", 0, "churned"), (outcome.Message!.RequestId, outcome.Message.TenantId, outcome.Message.ModelName, outcome.Message.Row, outcome.Message.Label));
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stats, outcomes);
        }
    }

    private static FeatureStatsObserved Window(int i) => new(
        $"w-{i}", "acme", $"churn-{i}", 3, "worker-1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(10), 10 + i,
        new Dictionary<string, FeatureWindow> { ["age"] = new(FeatureWindow.Numeric, 10 + i, 0, [1, 2, 3], 1, 1, 0, 1) });

    private static string DocumentedExample()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "streams.md"));
        return PythonBlock().Match(markdown) is { Success: true } match
            ? match.Groups["code"].Value
            : throw new InvalidOperationException("docs/streams.md has no ```python block");
    }

    [GeneratedRegex(@"^```python\s*$(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex PythonBlock();
}
