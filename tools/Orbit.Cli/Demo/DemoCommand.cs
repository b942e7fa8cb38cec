using System.CommandLine;
using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;

namespace Orbit.Cli.Demo;

/// <summary>
/// <c>orbit demo</c>: the whole lifecycle on a running platform (<c>./orbit demo</c> first starts it with two workers and
/// the demo's short intervals): version 1 trained by the retrainer and deployed; real-time, asynchronous and batch
/// traffic; a shift of the traffic's distribution with outcomes posted, so drift goes critical and accuracy drops;
/// version 2 retrained on what was served and promoted by the canary. Exit 0 when version 2 is promoted and no
/// request failed.
/// </summary>
internal static class DemoCommand
{
    public static readonly RolloutPolicy Policy = new(
        AutoStart: true, Steps: [25, 50, 100], BakeSeconds: 5, IntervalSeconds: 5,
        Analysis: new RolloutAnalysis(MinSamples: 30, ErrorRateMargin: 0.1, LatencyMargin: 1.0, AccuracyMargin: 0.05, FailureLimit: 2));

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The demo model's name (the retrainer must be configured for it; ./orbit demo does that)", DefaultValueFactory = _ => "churn-demo" };
        var gateway = new Option<string?>("--gateway") { Description = "Gateway URL [ORBIT_GATEWAY_URL, else http://127.0.0.1:<ORBIT_BASE_PORT>]" };
        var key = new Option<string?>("--key") { Description = "API key (admin) [ORBIT_KEY, else the key ./orbit up wrote]" };
        var datasets = new Option<string?>("--datasets") { Description = "Where the retrainer reads datasets [$ORBIT_RUN_DIR/datasets]" };
        var command = new Command("demo", "Run the whole lifecycle on the running platform: train, deploy, serve, drift, retrain, canary, promote") { model, gateway, key, datasets };
        command.SetAction(async Task<int> (ParseResult parse, CancellationToken ct) =>
        {
            Func<string, string?> env = Environment.GetEnvironmentVariable;
            var baseUrl = parse.GetValue(gateway) ?? env("ORBIT_GATEWAY_URL") ?? $"http://127.0.0.1:{env("ORBIT_BASE_PORT") ?? "8080"}/";
            var resolved = RegistryConnection.Resolve(null, parse.GetValue(key));
            if (resolved.Connection?.Key is not { } apiKey)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(resolved.Error ?? RegistryConnection.HowToProvideKey(resolved.ConfigPath))}");
                return 2;
            }

            var folder = parse.GetValue(datasets) ?? Path.Combine(env("ORBIT_RUN_DIR") ?? ".run", "datasets");
            var name = parse.GetValue(model)!;
            using var platform = DemoGateway.Create(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), apiKey, name);
            try
            {
                return await new DemoRun(platform, apiKey, resolved.Connection.KeySource, name, folder).RunAsync(ct);
            }
            catch (DemoException ex)
            {
                AnsiConsole.MarkupLine($"[red]demo stopped:[/] {Markup.Escape(ex.Message)}");
                AnsiConsole.MarkupLine("Logs: ./orbit status and .run/logs/; try again after ./orbit down");
                return 1;
            }
        });
        return command;
    }
}
