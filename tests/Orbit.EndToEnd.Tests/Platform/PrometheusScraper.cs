using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Testing;

namespace Orbit.EndToEnd.Tests.Platform;

/// <summary>A real Prometheus (Debian's package) scraping the given targets every second.</summary>
internal sealed class PrometheusScraper : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusScraper(Process process, string directory, Uri api)
    {
        _process = process;
        _directory = directory;
        Api = api;
    }

    public Uri Api { get; }

    public static PrometheusScraper Start(IEnumerable<int> ports)
    {
        var directory = Directory.CreateTempSubdirectory("orbit-prometheus-").FullName;
        var targets = string.Join(", ", ports.Select(p => $"'127.0.0.1:{p}'"));
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: orbit
                static_configs:
                  - targets: [{targets}]
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("prometheus",
            $"--config.file={directory}/prometheus.yml --storage.tsdb.path={directory}/data --web.listen-address=127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start: run ./orbit deps");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusScraper(process, directory, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The value of <c>up</c> per scraped instance: 1 where the last scrape parsed.</summary>
    public async Task<Dictionary<string, string>> UpAsync(HttpClient http)
    {
        try
        {
            var answer = await http.GetFromJsonAsync<JsonElement>(new Uri(Api, "api/v1/query?query=up"));
            return answer.GetProperty("data").GetProperty("result").EnumerateArray().ToDictionary(
                r => r.GetProperty("metric").GetProperty("instance").GetString()!,
                r => r.GetProperty("value")[1].GetString()!);
        }
        catch (HttpRequestException)
        {
            return [];
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
        Directory.Delete(_directory, recursive: true);
    }
}
