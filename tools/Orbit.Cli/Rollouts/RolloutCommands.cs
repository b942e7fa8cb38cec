using System.CommandLine;
using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;

namespace Orbit.Cli.Rollouts;

/// <summary><c>orbit rollout start|status|pause|resume|abort MODEL</c>: canary rollouts and the decisions behind them.</summary>
internal static class RolloutCommands
{
    public static Command Create(RegistryRunner runner)
    {
        var rollout = new Command("rollout", "Move traffic to a candidate version step by step, judged by statistics");
        rollout.Subcommands.Add(Start(runner));
        rollout.Subcommands.Add(Status(runner));
        foreach (var (verb, description) in new[]
        {
            ("pause", "Stop evaluating: the current weights stay until resume"),
            ("resume", "Evaluate again; the bake time of the current step starts over"),
            ("abort", "End the rollout and send all traffic back to stable"),
        })
        {
            var name = new Argument<string>("model") { Description = "Model name" };
            var command = new Command(verb, description) { name };
            rollout.Subcommands.Add(runner.Define(command, async (call, ct) =>
                await call.AnswerAsync(await call.Api.ChangeRolloutAsync(call.Get(name)!, verb, ct), RolloutPrinter.Write)));
        }

        return rollout;
    }

    private static Command Start(RegistryRunner runner)
    {
        var name = new Argument<string>("model") { Description = "Model name" };
        var candidate = new Option<int>("--candidate") { Description = "The version to roll out", Required = true };
        var strategy = new Option<string>("--strategy") { Description = "canary", DefaultValueFactory = _ => "canary" };
        var steps = new Option<string?>("--steps") { Description = "Candidate weights in percent, e.g. 5,25,50,100 (the registry's default when left out)" };
        var bake = new Option<string?>("--bake") { Description = "How long each step must pass before the next, e.g. 2m, 90s" };
        var interval = new Option<string?>("--interval") { Description = "How often candidate and stable are compared, e.g. 30s" };
        var command = new Command("start", "Start a canary: the candidate takes each weight in turn while it stays no worse than stable")
        {
            name, candidate, strategy, steps, bake, interval,
        };
        return runner.Define(command, async (call, ct) =>
        {
            var request = new StartRollout(
                call.Get(candidate), call.Get(strategy),
                call.Get(steps) is { } list ? Durations.Steps(list) : null,
                call.Get(bake) is { } b ? Durations.Seconds(b) : null,
                call.Get(interval) is { } i ? Durations.Seconds(i) : null);
            return await call.AnswerAsync(await call.Api.StartRolloutAsync(call.Get(name)!, request, ct), RolloutPrinter.Write);
        }, parse =>
            (parse.GetValue(steps) is { } s && !Durations.TrySteps(s, out _) ? "--steps: give whole percentages separated by commas, e.g. 5,25,50,100" : null)
            ?? (parse.GetValue(bake) is { } b && !Durations.TrySeconds(b, out _) ? "--bake: give a duration such as 90s, 2m or 1h" : null)
            ?? (parse.GetValue(interval) is { } i && !Durations.TrySeconds(i, out _) ? "--interval: give a duration such as 30s or 1m" : null));
    }

    private static Command Status(RegistryRunner runner)
    {
        var name = new Argument<string>("model") { Description = "Model name" };
        var decisions = new Option<int>("--decisions") { Description = "How many recent decisions to list", DefaultValueFactory = _ => 10 };
        var watch = new Option<bool>("--watch") { Description = "Redraw every 2 s until the rollout ends" };
        var command = new Command("status", "The rollout, its step, and the numbers behind its recent decisions") { name, decisions, watch };
        return runner.Define(command, async (call, ct) =>
        {
            var result = await call.Api.RolloutAsync(call.Get(name)!, call.Get(decisions), ct);
            if (!call.Get(watch) || call.Json || !result.IsOk)
            {
                return await call.AnswerAsync(result, RolloutPrinter.Write);
            }

            await AnsiConsole.Live(RolloutPrinter.Render(result.Value!)).StartAsync(async live =>
            {
                while (result.IsOk && result.Value!.State is "running" or "paused" && !ct.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                    result = await call.Api.RolloutAsync(call.Get(name)!, call.Get(decisions), ct);
                    if (result.IsOk)
                    {
                        live.UpdateTarget(RolloutPrinter.Render(result.Value!));
                    }
                }
            });
            return await call.FailedAsync(result) ? RegistryRunner.Failed : RegistryRunner.Ok;
        });
    }
}
