using System.CommandLine;
using System.Globalization;
using Orbit.Cli.Registry;
using Orbit.Cli.Rollouts;
using Orbit.Contracts.Rollouts;
using Spectre.Console;

namespace Orbit.Cli.Experiments;

/// <summary><c>orbit experiment start|show|stop</c>: A/B experiments, a fixed split for a set time and a report per arm.</summary>
internal static class ExperimentCommands
{
    public static Command Create(RegistryRunner runner)
    {
        var experiment = new Command("experiment", "Split traffic between versions for a set time and compare each with the control");
        experiment.Subcommands.Add(Start(runner));
        experiment.Subcommands.Add(Show(runner));
        var name = new Argument<string>("model") { Description = "Model name" };
        var id = new Argument<string>("id") { Description = "Experiment id (ex_…)" };
        var stop = new Command("stop", "End the experiment now, with the evidence so far, and send all traffic back to the control") { name, id };
        experiment.Subcommands.Add(runner.Define(stop, async (call, ct) =>
            await call.AnswerAsync(await call.Api.StopExperimentAsync(call.Get(name)!, call.Get(id)!, ct), ExperimentPrinter.Write)));
        return experiment;
    }

    /// <summary>Reads <c>VERSION=WEIGHT</c>, e.g. <c>2=25</c>.</summary>
    public static bool TryArm(string text, out ExperimentArm arm)
    {
        arm = new ExperimentArm(0, 0);
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || !int.TryParse(parts[1].TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
        {
            return false;
        }

        arm = new ExperimentArm(version, weight);
        return true;
    }

    private static Command Start(RegistryRunner runner)
    {
        var name = new Argument<string>("model") { Description = "Model name" };
        var arms = new Option<string[]>("--arm")
        {
            Description = "VERSION=WEIGHT, once per arm (2 to 10); one must be the stable version, the control; weights add up to 100",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var duration = new Option<string>("--duration") { Description = "How long the split runs, e.g. 30m, 2h, 86400", Required = true };
        var interval = new Option<string?>("--interval") { Description = "How often the arms' evidence is added to the stored tallies, e.g. 10s" };
        var alpha = new Option<double?>("--alpha") { Description = "Significance of the two-sided tests (default 0.05: 95 % intervals)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the split when the time is up (default: all traffic back to the control)" };
        var command = new Command("start", "Start an A/B experiment: a fixed split between the control (stable) and other versions")
        {
            name, arms, duration, interval, alpha, keep,
        };
        return runner.Define(command, async (call, ct) =>
        {
            var request = new StartExperiment(
                call.Get(arms)!.Select(a => TryArm(a, out var arm) ? arm : throw new FormatException(a)).ToList(),
                Durations.Seconds(call.Get(duration)!),
                call.Get(interval) is { } i ? Durations.Seconds(i) : null,
                call.Get(alpha),
                call.Get(keep) ? "keep" : null);
            return await call.AnswerAsync(await call.Api.StartExperimentAsync(call.Get(name)!, request, ct), ExperimentPrinter.Write);
        }, parse =>
            (parse.GetValue(arms)?.FirstOrDefault(a => !TryArm(a, out _)) is { } bad ? $"--arm: give VERSION=WEIGHT, e.g. 2=25 (got '{bad}')" : null)
            ?? (parse.GetValue(duration) is { } d && !Durations.TrySeconds(d, out _) ? "--duration: give a duration such as 30m, 2h or 86400" : null)
            ?? (parse.GetValue(interval) is { } i && !Durations.TrySeconds(i, out _) ? "--interval: give a duration such as 10s or 1m" : null));
    }

    private static Command Show(RegistryRunner runner)
    {
        var name = new Argument<string>("model") { Description = "Model name" };
        var id = new Argument<string>("id") { Description = "Experiment id (ex_…)" };
        var watch = new Option<bool>("--watch") { Description = "Redraw every 2 s until the experiment ends" };
        var command = new Command("show", "The experiment's report: per arm its counts and metrics, and each arm against the control") { name, id, watch };
        return runner.Define(command, async (call, ct) =>
        {
            var result = await call.Api.ExperimentAsync(call.Get(name)!, call.Get(id)!, ct);
            if (!call.Get(watch) || call.Json || !result.IsOk)
            {
                return await call.AnswerAsync(result, ExperimentPrinter.Write);
            }

            await AnsiConsole.Live(ExperimentPrinter.Render(result.Value!)).StartAsync(async live =>
            {
                while (result.IsOk && result.Value!.State == "running" && !ct.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                    result = await call.Api.ExperimentAsync(call.Get(name)!, call.Get(id)!, ct);
                    if (result.IsOk)
                    {
                        live.UpdateTarget(ExperimentPrinter.Render(result.Value!));
                    }
                }
            });
            return await call.FailedAsync(result) ? RegistryRunner.Failed : RegistryRunner.Ok;
        });
    }
}
