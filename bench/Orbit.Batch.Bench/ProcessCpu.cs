using System.Globalization;
using Orbit.Bench;

namespace Orbit.Batch.Bench;

/// <summary>
/// CPU seconds (user + system, from /proc/{pid}/stat) of each platform process that `./orbit up` started, read from
/// its pid files, so a run can say where the time of one job went. Empty where /proc or the pid files are missing.
/// </summary>
internal sealed class ProcessCpu
{
    private readonly Dictionary<string, double> _start;

    private ProcessCpu(Dictionary<string, double> start) => _start = start;

    public static ProcessCpu Start() => new(Read());

    /// <summary>"registry 1.23 s, inference-worker-1 0.80 s, …" since <see cref="Start"/>.</summary>
    public string Since()
    {
        var now = Read();
        return string.Join(", ", now
            .Select(pair => (pair.Key, Seconds: pair.Value - _start.GetValueOrDefault(pair.Key)))
            .OrderByDescending(pair => pair.Seconds)
            .Select(pair => $"{pair.Key} {pair.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s"));
    }

    private static Dictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>();
        var runDirectory = Environment.GetEnvironmentVariable("ORBIT_RUN_DIR");
        var pids = runDirectory is null ? null : Path.Combine(runDirectory, "pids");
        if (pids is null || !Directory.Exists(pids))
        {
            return seconds;
        }

        foreach (var file in Directory.GetFiles(pids, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) && ProcStat.ProcessSeconds(pid) is { } cpu)
            {
                seconds[Path.GetFileNameWithoutExtension(file)] = cpu;
            }
        }

        // RabbitMQ is shared with whatever else runs on the host: its figure is an upper bound for this job's share.
        if (int.TryParse(Environment.GetEnvironmentVariable("ORBIT_BENCH_RABBITMQ_PID"), CultureInfo.InvariantCulture, out var rabbit) && ProcStat.ProcessSeconds(rabbit) is { } broker)
        {
            seconds["rabbitmq (shared)"] = broker;
        }

        if (ProcStat.ProcessSeconds(Environment.ProcessId) is { } self)
        {
            seconds["bench client"] = self;
        }

        return seconds;
    }
}
