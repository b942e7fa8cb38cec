using System.Diagnostics;
using Orbit.Testing;

namespace Orbit.EndToEnd.Tests.Async;

/// <summary>librdkafka's mock cluster, started with the same helper as <c>./orbit kafka-mock</c>; its address is the first line it prints.</summary>
public sealed class KafkaMock : IDisposable
{
    private readonly Process _process;

    private KafkaMock(Process process, string bootstrap)
    {
        _process = process;
        Bootstrap = bootstrap;
    }

    public string Bootstrap { get; }

    public static async Task<KafkaMock> StartAsync()
    {
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", Path.Combine(RepositoryRoot.Path, "infra", "kafka-mock.py"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        })!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return string.IsNullOrWhiteSpace(line)
            ? throw new InvalidOperationException("the Kafka mock printed no address (is python3-confluent-kafka installed? ./orbit deps installs it)")
            : new KafkaMock(process, line.Trim());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
