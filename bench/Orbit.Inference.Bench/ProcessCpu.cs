using System.Diagnostics;
using System.Globalization;
using Orbit.Bench;

namespace Orbit.Inference.Bench;

/// <summary>
/// CPU seconds (user + system, all threads) that named processes use between two snapshots, read from
/// <c>/proc/PID/stat</c>; the generator's own from <see cref="Process.TotalProcessorTime"/>. On 2 shared cores this
/// tells where a row's time goes: generator, gateway, RabbitMQ, worker, Redis, baseline.
/// </summary>
internal sealed class ProcessCpu(IReadOnlyList<(string Name, int Pid)> processes)
{
    public const string Generator = "generator";

    /// <summary>Busy CPU seconds of the whole host (every process, ours or not), from the first line of /proc/stat.</summary>
    public const string Host = "host";

    /// <summary>From <c>--cpu "gateway=123 worker=456 …"</c>; null when the option is absent.</summary>
    public static ProcessCpu? Parse(string? option)
    {
        if (string.IsNullOrWhiteSpace(option))
        {
            return null;
        }
        var processes = option.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();
        return new ProcessCpu(processes);
    }

    public IEnumerable<string> Names => processes.Select(p => p.Name).Prepend(Generator);

    public IReadOnlyDictionary<string, double> Snapshot()
    {
        var seconds = new Dictionary<string, double>
        {
            [Generator] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        };
        foreach (var (name, pid) in processes)
        {
            seconds[name] = ProcStat.ProcessSeconds(pid) ?? double.NaN;
        }
        seconds[Host] = ProcStat.HostBusySeconds() ?? double.NaN;
        return seconds;
    }

    public static IReadOnlyDictionary<string, double> Used(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
        after.ToDictionary(p => p.Key, p => double.IsNaN(p.Value) || !before.TryGetValue(p.Key, out var then) || double.IsNaN(then) ? double.NaN : p.Value - then);
}
