using System.Globalization;

namespace Orbit.Bench;

/// <summary>CPU seconds from Linux's /proc, for the benches' "where did the time go" tables (linked into each bench).</summary>
internal static class ProcStat
{
    // utime and stime are in clock ticks; USER_HZ is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of every thread of <paramref name="pid"/>; null when the process is gone.</summary>
    public static double? ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields 14 and 15, counted after the command name's closing parenthesis (the name may hold spaces).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Busy CPU seconds of the whole host (user + nice + system + irq + softirq + steal of /proc/stat's "cpu" line).</summary>
    public static double? HostBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
