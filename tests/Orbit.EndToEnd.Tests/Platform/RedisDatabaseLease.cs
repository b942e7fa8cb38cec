using System.Globalization;
using Orbit.Testing;

namespace Orbit.EndToEnd.Tests.Platform;

/// <summary>
/// One of Redis databases 10 to 15 for one platform's life, held with a lock file so that no other platform (in this
/// process or in another test run on the machine) shares it, and emptied when taken. A database another platform used
/// before would otherwise still hold its routing tables, and this platform's workers would try to warm models its
/// registry has never seen.
/// </summary>
internal sealed class RedisDatabaseLease : IDisposable
{
    private const int First = 10;
    private const int Last = 15;

    private readonly FileStream _lock;

    private RedisDatabaseLease(int number, FileStream lockFile)
    {
        Number = number;
        _lock = lockFile;
    }

    public int Number { get; }

    public static async Task<RedisDatabaseLease> TakeAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            for (var number = First; number <= Last; number++)
            {
                if (TryLock(number) is { } lockFile)
                {
                    var lease = new RedisDatabaseLease(number, lockFile);
                    await lease.FlushAsync();
                    return lease;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Redis databases {First}-{Last} stayed taken by other platforms for 10 minutes");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose() => _lock.Dispose();

    private static FileStream? TryLock(int number)
    {
        var path = Path.Combine(Path.GetTempPath(), $"orbit-e2e-redis-db-{number}.lock");
        try
        {
            // On Linux .NET takes an advisory flock for FileShare.None: another process gets an IOException.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Empties the database on the loopback server ./orbit deps started (as ./orbit test does for 9-15); a server named by ORBIT_REDIS is left alone.</summary>
    private async Task FlushAsync()
    {
        if (Environment.GetEnvironmentVariable("ORBIT_REDIS") is not null)
        {
            return;
        }

        var result = await Shell.RunAsync(
            "redis-cli", $"-h 127.0.0.1 -p 6379 -n {Number.ToString(CultureInfo.InvariantCulture)} flushdb", "/", null, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli flushdb on database {Number} failed ({result.ExitCode}): {result.Output}");
        }
    }
}
