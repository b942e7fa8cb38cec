using System.Text.Json;
using Orbit.Cli.Rollouts;
using Orbit.Cli.Tests.Registry;
using Orbit.Contracts.Rollouts;

namespace Orbit.Cli.Tests.Rollouts;

public sealed class RolloutCommandsTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    [Fact]
    public async Task Start_sends_the_steps_and_durations_as_typed_and_status_and_abort_show_the_rollout()
    {
        var name = RegistryUnderTest.UniqueName();
        foreach (var model in new[] { RegistryUnderTest.AddModel, RegistryUnderTest.ReluModel })
        {
            Assert.Equal(0, (await registry.RunAsync("models", "push", name, model)).ExitCode);
        }

        Assert.Equal(0, (await registry.RunAsync("deploy", name, "--stable", "1")).ExitCode);

        var started = await registry.RunAsync("rollout", "start", name, "--candidate", "2", "--steps", "5,25,100", "--bake", "2m", "--interval", "30s");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Contains("running", started.Out);
        Assert.Contains("120 s / 30 s", started.Out);

        var status = await registry.RunAsync("rollout", "status", name, "--json");
        var view = JsonSerializer.Deserialize<RolloutView>(status.Out, JsonSerializerOptions.Web)!;
        Assert.Equal([5, 25, 100], view.Steps);
        Assert.Equal((5, 120, 30), (view.Weight, view.BakeSeconds, view.IntervalSeconds));

        var aborted = await registry.RunAsync("rollout", "abort", name);
        Assert.True(aborted.ExitCode == 0, aborted.ToString());
        Assert.Contains("aborted", aborted.Out);
        var again = await registry.RunAsync("rollout", "abort", name);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already ended", again.Error);
    }

    [Fact]
    public async Task Start_with_strategy_shadow_sends_the_mirror_settings_and_show_prints_the_shadow()
    {
        var name = RegistryUnderTest.UniqueName();
        foreach (var model in new[] { RegistryUnderTest.AddModel, RegistryUnderTest.ReluModel })
        {
            Assert.Equal(0, (await registry.RunAsync("models", "push", name, model)).ExitCode);
        }

        Assert.Equal(0, (await registry.RunAsync("deploy", name, "--stable", "1")).ExitCode);

        var refused = await registry.RunAsync("rollout", "start", name, "--candidate", "2", "--strategy", "shadow", "--mirror", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("mirrorPercent", refused.Error);

        var started = await registry.RunAsync("rollout", "start", name, "--candidate", "2", "--strategy", "shadow", "--mirror", "25", "--duration", "30m",
            "--agreement", "0.97", "--min-samples", "200", "--promote-on-pass");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Contains("25 % of stable's requests, for 1800 s", started.Out);

        var shown = await registry.RunAsync("rollout", "show", name, "--json");
        var view = JsonSerializer.Deserialize<RolloutView>(shown.Out, JsonSerializerOptions.Web)!;
        Assert.Equal(("shadow", 0), (view.Strategy, view.Weight));
        Assert.Equal((25, 1800, 0.97, 200, true), (view.Shadow!.MirrorPercent, view.Shadow.DurationSeconds, view.Shadow.AgreementThreshold, view.Shadow.MinSamples, view.Shadow.PromoteOnPass));

        Assert.Equal(0, (await registry.RunAsync("rollout", "abort", name)).ExitCode);
    }

    [Fact]
    public async Task A_step_list_or_duration_that_does_not_parse_is_a_usage_error_naming_the_option()
    {
        var steps = await registry.RunAsync("rollout", "start", "m", "--candidate", "2", "--steps", "5;25");
        var bake = await registry.RunAsync("rollout", "start", "m", "--candidate", "2", "--bake", "two minutes");

        Assert.Equal((2, 2), (steps.ExitCode, bake.ExitCode));
        Assert.Contains("--steps", steps.Error);
        Assert.Contains("--bake", bake.Error);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1.5h", 5400)]
    public void Durations_read_as_people_type_them(string text, int seconds) => Assert.Equal(seconds, Durations.Seconds(text));
}
