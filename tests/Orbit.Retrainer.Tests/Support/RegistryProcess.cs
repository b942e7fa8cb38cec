using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Orbit.Testing;

namespace Orbit.Retrainer.Tests.Support;

/// <summary>
/// The real registry, as its own process (the Release build of services/registry), on a free port, a temp data
/// folder and the given RabbitMQ virtual host. Its output is kept for the failure message.
/// </summary>
internal sealed class RegistryProcess : IAsyncDisposable
{
    public const string AdminKey = "orbit-retrainer-test-admin-key-0000000001";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private RegistryProcess(Process process, string dataDirectory, Uri url)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
    }

    public Uri Url { get; }

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

    public static async Task<RegistryProcess> StartAsync(string rabbitMqUrl)
    {
        var bin = Path.Combine(RepositoryRoot.Path, "services", "registry", "bin", "Release", "net10.0");
        var dataDirectory = Directory.CreateTempSubdirectory("orbit-retrainer-registry-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(bin, "Orbit.Registry.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Orbit__DataDirectory"] = dataDirectory;
        start.Environment["Orbit__Registry__AdminKey"] = AdminKey;
        start.Environment["Orbit__RabbitMq__Url"] = rabbitMqUrl;
        start.Environment["Orbit__Redis__Configuration"] = TestInfrastructure.Redis;
        start.Environment["Orbit__Logging__Level"] = "Warning";
        var process = new Process { StartInfo = start };
        var registry = new RegistryProcess(process, dataDirectory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = registry.Url };
            await Eventually.GetAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"exited with code {process.ExitCode}");
                }

                try
                {
                    using var response = await http.GetAsync("/health/ready");
                    return response.IsSuccessStatusCode ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null; // Not listening yet.
                }
            }, TimeSpan.FromSeconds(90), "the registry's /health/ready");
        }
        catch (Exception ex)
        {
            await registry.DisposeAsync();
            throw new InvalidOperationException($"The registry did not get ready: {ex.Message}\n{registry.Output}", ex);
        }

        return registry;
    }

    public HttpClient Client(string key)
    {
        var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
