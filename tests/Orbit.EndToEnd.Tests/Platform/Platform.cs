using System.Globalization;
using System.Net;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Platform;

/// <summary>
/// A platform started with <c>./orbit up</c> in its own run folder and ports, so it never touches
/// one a developer has up; stopped with <c>./orbit down</c>.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    private const int GrpcPortOffset = 4;

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);

    private readonly VirtualHost _virtualHost;
    private readonly RedisDatabaseLease _redisDatabase;

    private Platform(string runDir, int basePort, VirtualHost virtualHost, RedisDatabaseLease redisDatabase)
    {
        RunDir = runDir;
        BasePort = basePort;
        _virtualHost = virtualHost;
        _redisDatabase = redisDatabase;
        Environment = new Dictionary<string, string>
        {
            ["ORBIT_RUN_DIR"] = runDir,
            ["ORBIT_BASE_PORT"] = basePort.ToString(CultureInfo.InvariantCulture),
            ["ORBIT_READY_TIMEOUT"] = "120",
            // An empty Redis database of its own, apart from the in-process tests' (9) and a developer's (0).
            ["Orbit__Redis__Configuration"] = $"{Redis},defaultDatabase={redisDatabase.Number.ToString(CultureInfo.InvariantCulture)}",
        };
        if (virtualHost.Name is not null)
        {
            // Its own RabbitMQ virtual host: no other test's events reach its services.
            Environment["Orbit__RabbitMq__Url"] = virtualHost.Url;
        }
    }

    private static string Redis => System.Environment.GetEnvironmentVariable("ORBIT_REDIS") ?? "127.0.0.1:6379";

    public string RunDir { get; }

    public int BasePort { get; }

    public Dictionary<string, string> Environment { get; }

    public Uri Gateway => new($"http://127.0.0.1:{BasePort}/");

    /// <summary>The gateway's gRPC endpoint (HTTP/2 without TLS), which <c>./orbit up</c> puts at the base port + 4.</summary>
    public Uri GatewayGrpc => new($"http://127.0.0.1:{BasePort + GrpcPortOffset}/");

    public string AdminKey => File.ReadAllText(Path.Combine(RunDir, "admin.key")).Trim();

    public ITestOutputHelper? Output { get; set; }

    public static async Task<Platform> CreateAsync()
    {
        var virtualHost = await VirtualHost.CreateAsync("orbit-e2e-");
        var redisDatabase = await RedisDatabaseLease.TakeAsync();
        return new Platform(Directory.CreateTempSubdirectory("orbit-e2e-").FullName, FreeBasePort(), virtualHost, redisDatabase);
    }

    public async Task<ShellResult> OrbitAsync(string arguments)
    {
        var result = await Shell.RunAsync(Path.Combine(RepositoryRoot.Path, "orbit"), arguments, RepositoryRoot.Path, Environment, ScriptTimeout);
        Output?.WriteLine($"$ ./orbit {arguments}  (exit {result.ExitCode})\n{result.Output}");
        return result;
    }

    public async Task<string> OrbitOkAsync(string arguments)
    {
        var result = await OrbitAsync(arguments);
        Assert.True(result.ExitCode == 0, $"./orbit {arguments} failed ({result.ExitCode}):\n{result.Output}");
        return result.Output;
    }

    public Dictionary<string, int> Pids() =>
        Directory.GetFiles(Path.Combine(RunDir, "pids"), "*.pid").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture));

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await OrbitAsync("down");
        Directory.Delete(RunDir, recursive: true);
        await _virtualHost.DisposeAsync();
        _redisDatabase.Dispose();
    }

    /// <summary>A base port whose service and first worker ports are all free.</summary>
    private static int FreeBasePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 30_000);
            if (new[] { 0, 1, 2, 3, GrpcPortOffset, 10, 11, 12 }.All(offset => IsFree(candidate + offset)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No free block of loopback ports between 20000 and 30000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
