using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Orbit.Registry.Bench;

/// <summary>The Release registry started as its own process on a free loopback port, with a private data directory and SQLite.</summary>
internal sealed class RegistryProcess : IAsyncDisposable
{
    private const string AdminKey = "orbit-registry-bench-admin-key-000001";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RegistryProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RegistryProcess> StartAsync(string root, string dataDirectory)
    {
        var directory = Path.Combine(root, "services", "registry", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(directory, "Orbit.Registry.dll")))
        {
            throw new InvalidOperationException($"{directory}/Orbit.Registry.dll is missing: dotnet build services/registry -c Release");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("Orbit.Registry.dll");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Orbit__DataDirectory"] = dataDirectory;
        start.Environment["Orbit__Registry__AdminKey"] = AdminKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Orbit__Logging__Level"] = "Warning";
        // Measure the embedded SQLite store, whatever the caller's shell points at.
        start.Environment.Remove("ORBIT_POSTGRES");
        start.Environment.Remove("Orbit__Registry__Postgres");
        start.Environment.Remove("ORBIT_ADMIN_KEY");

        var registry = new RegistryProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        registry._process.OutputDataReceived += registry.Keep;
        registry._process.ErrorDataReceived += registry.Keep;
        registry._process.BeginOutputReadLine();
        registry._process.BeginErrorReadLine();
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return registry;
    }

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the registry shuts down as it would under an orchestrator.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The registry exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The registry was not ready within {limit.TotalSeconds} s (RabbitMQ and Redis up? run ./orbit deps):\n{Output}");
    }

    private void Keep(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line.Data);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
