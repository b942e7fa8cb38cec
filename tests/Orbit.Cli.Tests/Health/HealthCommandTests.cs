using System.CommandLine;
using Orbit.Cli.Health;

namespace Orbit.Cli.Tests.Health;

public sealed class HealthCommandTests
{
    [Fact]
    public void Services_follow_the_port_layout_of_orbit_up()
    {
        var endpoints = ServiceEndpoints.All("127.0.0.1", 9000, workers: 2);

        Assert.Equal(
            ["gateway=9000", "registry=9001", "drift-monitor=9002", "retrainer=9003", "inference-worker-1=9010", "inference-worker-2=9011"],
            endpoints.Select(e => $"{e.Name}={e.Url.Port}"));
    }

    [Fact]
    public async Task Health_exits_1_and_says_not_reachable_when_nothing_listens()
    {
        var port = Orbit.Testing.FreePort.Next();
        var output = new StringWriter();
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.No,
        });
        var root = new RootCommand { HealthCommand.Create() };

        var exitCode = await root.Parse(["health", "--base-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", "1"]).InvokeAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("not reachable", output.ToString());
    }

    [Fact]
    public async Task Health_output_json_lists_every_service_with_its_readiness()
    {
        var port = Orbit.Testing.FreePort.Next();
        var output = new StringWriter();
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.No,
        });
        var root = new RootCommand { HealthCommand.Create() };

        var exitCode = await root.Parse(["health", "--base-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", "1", "--output", "json"]).InvokeAsync();

        Assert.Equal(1, exitCode);
        var services = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(["gateway", "registry", "drift-monitor", "retrainer", "inference-worker-1"], services.Select(s => s.GetProperty("name").GetString()));
        Assert.All(services, s => Assert.False(s.GetProperty("ready").GetBoolean()));
    }
}
