using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Orbit.Cli.Health;

/// <summary><c>orbit health</c>: each service's readiness as a table (or JSON); exit 1 when any is not ready.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Host the services listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var basePort = new Option<int>("--base-port")
        {
            Description = "Gateway port; the others follow it (registry +1, drift-monitor +2, retrainer +3, workers +10…)",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("ORBIT_BASE_PORT"), out var p) ? p : 8080,
        };
        var workers = new Option<int>("--workers") { Description = "How many inference workers to probe", DefaultValueFactory = _ => ServiceEndpoints.StartedWorkers() };
        var output = OutputFormat.Create("table (the default), or json: {\"services\": [{\"name\", \"url\", \"ready\", \"detail\"}]}");
        var json = new Option<bool>("--json") { Description = "Same as --output json" };
        var format = new OutputFormat(output, json);
        var command = new Command("health", "Show each service's readiness and the dependency that fails") { host, basePort, workers, output, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (format.Conflict(parse) is { } conflict)
            {
                await Console.Error.WriteLineAsync($"orbit health: {conflict}");
                return 2;
            }

            var endpoints = ServiceEndpoints.All(parse.GetValue(host)!, parse.GetValue(basePort), parse.GetValue(workers));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var results = await Task.WhenAll(endpoints.Select(e => ProbeAsync(http, e.Name, e.Url, cancellationToken)));

            var exitCode = results.All(r => r.Ready) ? 0 : 1;
            if (format.IsJson(parse))
            {
                Orbit.Cli.Registry.RegistryCall.WriteJson(JsonSerializer.Serialize(new { services = results }, JsonSerializerOptions.Web));
                return exitCode;
            }

            var table = new Table().AddColumns("SERVICE", "URL", "READY", "DETAIL");
            foreach (var r in results)
            {
                table.AddRow(
                    Markup.Escape(r.Name),
                    Markup.Escape(r.Url.ToString()),
                    r.Ready ? "[green]ready[/]" : "[red]not ready[/]",
                    Markup.Escape(r.Detail));
            }

            AnsiConsole.Write(table);
            return exitCode;
        });
        return command;
    }

    private sealed record Probe(string Name, Uri Url, bool Ready, string Detail);

    private static async Task<Probe> ProbeAsync(HttpClient http, string name, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url, "health/ready"), cancellationToken);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var failing = report.TryGetProperty("checks", out var checks)
                ? checks.EnumerateArray()
                    .Where(c => c.GetProperty("status").GetString() != "Healthy")
                    .Select(c => $"{c.GetProperty("name").GetString()}: {Text(c, "error") ?? Text(c, "description") ?? c.GetProperty("status").GetString()}")
                    .ToList()
                : [];
            return new Probe(name, url, response.IsSuccessStatusCode, failing.Count == 0 ? "all dependencies answer" : string.Join("; ", failing));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new Probe(name, url, false, ex is HttpRequestException ? "not reachable (is it started? ./orbit status)" : ex.Message);
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
