using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Orbit.DriftMonitor.Tests.Support;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.DriftMonitor.Tests.Ingest;

/// <summary>The real drift-monitor process, killed (SIGKILL) while it consumes the stream, then started again.</summary>
public sealed class MonitorKillTests(ITestOutputHelper output)
{
    private const int Windows = 2000;

    [Fact]
    public async Task Killing_the_monitor_mid_stream_loses_no_window_and_counts_none_twice()
    {
        await using var platform = new MonitorWithRegistry();
        var model = "kill-" + platform.Suffix;
        var version = await platform.PushAsync(model, StatsWindows.Metadata());
        using var registry = platform.RegistryWithoutKey();
        using var relay = new HttpRelay(registry);
        var now = DateTimeOffset.UtcNow;
        var windows = Enumerable.Range(0, Windows)
            .Select(i => StatsWindows.Window("admin", model, version, now, StatsWindows.Like, id: $"w-{i:D5}"))
            .ToList();
        var data = Path.Combine(platform.DataDirectory, "monitor-process");
        var database = Path.Combine(data, "drift-monitor.db");

        // The stream exists before the first message: a stream queue declared by the broker's first reader.
        using (var first = StartMonitor(platform, relay.Url, data))
        {
            await RabbitQueues.AppendAllAsync(platform.Stream, windows.Take(Windows / 2));
            var committed = await Eventually.GetAsync(async () => await NextOffsetAsync(database, platform.Stream) is > 0 and var o ? (object)o : null,
                TimeSpan.FromSeconds(60), "the monitor to commit its first batch");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            output.WriteLine($"killed at committed offset {committed} of {Windows / 2} published");
        }

        await RabbitQueues.AppendAllAsync(platform.Stream, windows.Skip(Windows / 2));
        // A worker's retried publish: windows it had already sent, with the same ids.
        await RabbitQueues.AppendAllAsync(platform.Stream, windows.Take(10));
        using var second = StartMonitor(platform, relay.Url, data);
        try
        {
            await Eventually.GetAsync(async () => await NextOffsetAsync(database, platform.Stream) == Windows + 10 ? new object() : null,
                TimeSpan.FromSeconds(120), $"the restarted monitor to commit all {Windows + 10} messages");
            await using var connection = new SqliteConnection($"Data Source={database}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), SUM(row_count) FROM stats_windows";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(Windows, reader.GetInt64(0));
            Assert.Equal(Windows * 300L, reader.GetInt64(1));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private static async Task<long?> NextOffsetAsync(string database, string stream)
    {
        if (!File.Exists(database))
        {
            return null;
        }

        try
        {
            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT next_offset FROM stream_offsets WHERE stream = $stream";
            command.Parameters.AddWithValue("$stream", stream);
            return await command.ExecuteScalarAsync() is long offset ? offset : null;
        }
        catch (SqliteException)
        {
            return null; // Not migrated yet.
        }
    }

    private Process StartMonitor(MonitorWithRegistry platform, Uri registry, string data)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "services", "drift-monitor", "bin", "Release", "net10.0", "Orbit.DriftMonitor.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{FreePort.Next()}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Orbit__DataDirectory"] = data;
        start.Environment["Orbit__DriftMonitor__RegistryUrl"] = registry.ToString();
        start.Environment["Orbit__DriftMonitor__RegistryKey"] = MonitorWithRegistry.AdminKey;
        start.Environment["Orbit__DriftMonitor__StatsStream"] = platform.Stream;
        start.Environment["Orbit__DriftMonitor__ErrorQueue"] = platform.ErrorQueue;
        start.Environment["Orbit__DriftMonitor__PredictionsStream"] = platform.PredictionsStream;
        start.Environment["Orbit__DriftMonitor__OutcomesStream"] = platform.OutcomesStream;
        start.Environment["Orbit__DriftMonitor__CommitBatch"] = "3";
        start.Environment["Orbit__DriftMonitor__EvaluateEverySeconds"] = "3600";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { output.WriteLine(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { output.WriteLine(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
