namespace Orbit.Cli.Health;

/// <summary>Where each service listens, by the same port layout that <c>./orbit up</c> uses.</summary>
internal static class ServiceEndpoints
{
    public const int WorkerPortOffset = 10;

    public static IReadOnlyList<(string Name, Uri Url)> All(string host, int basePort, int workers)
    {
        var services = new List<(string, Uri)>
        {
            ("gateway", Url(host, basePort)),
            ("registry", Url(host, basePort + 1)),
            ("drift-monitor", Url(host, basePort + 2)),
            ("retrainer", Url(host, basePort + 3)),
        };
        for (var i = 1; i <= workers; i++)
        {
            services.Add(($"inference-worker-{i}", Url(host, basePort + WorkerPortOffset + i - 1)));
        }

        return services;
    }

    /// <summary>The number of workers <c>./orbit up</c> started, from its pid files; one when unknown.</summary>
    public static int StartedWorkers()
    {
        var runDir = Environment.GetEnvironmentVariable("ORBIT_RUN_DIR");
        var pids = runDir is null ? null : Path.Combine(runDir, "pids");
        return pids is not null && Directory.Exists(pids)
            ? Math.Max(1, Directory.GetFiles(pids, "inference-worker-*.pid").Length)
            : 1;
    }

    private static Uri Url(string host, int port) => new($"http://{host}:{port}/");
}
