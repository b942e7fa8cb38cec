using System.CommandLine;
using Orbit.Cli.Registry;
using Orbit.Contracts.Rollouts;
using Spectre.Console;

namespace Orbit.Cli.Rollouts;

/// <summary><c>orbit rollout start|status|pause|resume|abort MODEL</c>: canary and shadow rollouts and the decisions behind them.</summary>
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
            ("abort", "End the rollout and send all traffic back to stable (a shadow: stop the mirror and drop its route)"),
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
        var strategy = new Option<string>("--strategy") { Description = "canary, or shadow (the candidate gets a mirrored copy of stable's traffic, answers nobody)", DefaultValueFactory = _ => "canary" };
        var steps = new Option<string?>("--steps") { Description = "Candidate weights in percent, e.g. 5,25,50,100 (the registry's default when left out)" };
        var bake = new Option<string?>("--bake") { Description = "How long each step must pass before the next, e.g. 2m, 90s" };
        var interval = new Option<string?>("--interval") { Description = "How often candidate and stable are compared, e.g. 30s" };
        var mirror = new Option<int?>("--mirror") { Description = "Shadow: percent of stable's requests copied to the candidate (default 100)" };
        var duration = new Option<string?>("--duration") { Description = "Shadow: how long to mirror before the verdict, e.g. 10m (default 10m)" };
        var agreement = new Option<double?>("--agreement") { Description = "Shadow: least share of rows with stable's label to pass, e.g. 0.95" };
        var maxDiff = new Option<double?>("--max-mean-abs-diff") { Description = "Shadow: largest mean |stable - shadow| on numeric outputs to pass (default: reported, not judged)" };
        var minSamples = new Option<int?>("--min-samples") { Description = "Fewer requests than this (per arm; a shadow: mirrored) is inconclusive (default 50)" };
        var promoteOnPass = new Option<bool>("--promote-on-pass") { Description = "Shadow: promote the candidate at once when the shadow passes" };
        var command = new Command("start", "Start a canary (the candidate takes each weight in turn while it stays no worse than stable) or a shadow")
        {
            name, candidate, strategy, steps, bake, interval, mirror, duration, agreement, maxDiff, minSamples, promoteOnPass,
        };
        return runner.Define(command, async (call, ct) =>
        {
            var request = new StartRollout(
                call.Get(candidate), call.Get(strategy),
                call.Get(steps) is { } list ? Durations.Steps(list) : null,
                call.Get(bake) is { } b ? Durations.Seconds(b) : null,
                call.Get(interval) is { } i ? Durations.Seconds(i) : null,
                call.Get(minSamples) is { } min ? new RolloutAnalysis(MinSamples: min) : null,
                call.Get(mirror),
                call.Get(duration) is { } d ? Durations.Seconds(d) : null,
                call.Get(agreement),
                call.Get(promoteOnPass) ? true : null,
                call.Get(maxDiff));
            return await call.AnswerAsync(await call.Api.StartRolloutAsync(call.Get(name)!, request, ct), RolloutPrinter.Write);
        }, parse =>
            (parse.GetValue(steps) is { } s && !Durations.TrySteps(s, out _) ? "--steps: give whole percentages separated by commas, e.g. 5,25,50,100" : null)
            ?? (parse.GetValue(bake) is { } b && !Durations.TrySeconds(b, out _) ? "--bake: give a duration such as 90s, 2m or 1h" : null)
            ?? (parse.GetValue(interval) is { } i && !Durations.TrySeconds(i, out _) ? "--interval: give a duration such as 30s or 1m" : null)
            ?? (parse.GetValue(duration) is { } d && !Durations.TrySeconds(d, out _) ? "--duration: give a duration such as 10m or 1h" : null));
    }

    private static Command Status(RegistryRunner runner)
    {
        var name = new Argument<string>("model") { Description = "Model name" };
        var decisions = new Option<int>("--decisions") { Description = "How many recent decisions to list", DefaultValueFactory = _ => 10 };
        var watch = new Option<bool>("--watch") { Description = "Redraw every 2 s until the rollout ends" };
        var command = new Command("status", "The rollout, its step (a shadow: what was mirrored and compared), and the numbers behind its recent decisions") { name, decisions, watch };
        command.Aliases.Add("show");
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
