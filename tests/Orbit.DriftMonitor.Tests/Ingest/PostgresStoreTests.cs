using System.Net.Http.Json;
using Npgsql;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Tests.Support;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Ingest;

/// <summary>The same store on the real PostgreSQL, in a schema of its own (dropped afterwards).</summary>
public sealed class PostgresStoreTests
{
    [Fact]
    public async Task On_PostgreSQL_windows_are_stored_once_and_a_restart_resumes_from_the_committed_offset()
    {
        var schema = "drift_test_" + Guid.NewGuid().ToString("N")[..10];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        try
        {
            await using var monitor = new MonitorWithRegistry(new()
            {
                ["Orbit:DriftMonitor:Postgres"] = $"{TestInfrastructure.Postgres};Search Path={schema}",
                ["Orbit:DriftMonitor:Consecutive"] = "1",
            });
            var model = "pg-" + monitor.Suffix;
            var version = await monitor.PushAsync(model, StatsWindows.Metadata());
            monitor.Start();
            var now = DateTimeOffset.UtcNow;
            await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now, StatsWindows.Shifted, id: "a"));
            await StatsWindows.CommittedAsync(monitor, 1);
            await monitor.StopAsync();
            await RabbitQueues.AppendAllAsync(monitor.Stream, new[]
            {
                StatsWindows.Window("admin", model, version, now, StatsWindows.Shifted, id: "b"),
                StatsWindows.Window("admin", model, version, now, StatsWindows.Shifted, id: "a"),
            });
            monitor.Start();
            await StatsWindows.CommittedAsync(monitor, 3);
            await monitor.EvaluateAsync(now.AddSeconds(1));

            using var api = monitor.Client();
            var view = await api.GetFromJsonAsync<DriftVersionView>($"/v1/drift/{model}/versions/{version}");
            Assert.Equal(600, view!.SampleSize);
            Assert.Equal("critical", view.Status);
            Assert.Equal(["ok->critical"], view.Alerts.Select(a => $"{a.From}->{a.To}"));
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
