using System.Text.Json;
using Orbit.Cli.Experiments;
using Orbit.Cli.Tests.Registry;
using Orbit.Contracts.Rollouts;

namespace Orbit.Cli.Tests.Experiments;

public sealed class ExperimentCommandsTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    private const string SigmoidModel = "/usr/share/libonnx-testdata/data/node/test_sigmoid/model.onnx";

    [Fact]
    public async Task Start_sends_three_arms_show_reads_the_report_and_stop_ends_it()
    {
        var name = RegistryUnderTest.UniqueName();
        foreach (var model in new[] { RegistryUnderTest.AddModel, RegistryUnderTest.ReluModel, SigmoidModel })
        {
            Assert.Equal(0, (await registry.RunAsync("models", "push", name, model)).ExitCode);
        }

        Assert.Equal(0, (await registry.RunAsync("deploy", name, "--stable", "1")).ExitCode);

        var started = await registry.RunAsync("experiment", "start", name, "--arm", "1=50", "--arm", "2=30", "--arm", "3=20", "--duration", "2h", "--interval", "30s", "--json");
        Assert.True(started.ExitCode == 0, started.ToString());
        var view = JsonSerializer.Deserialize<ExperimentView>(started.Out, JsonSerializerOptions.Web)!;
        Assert.Equal([(1, 50, true), (2, 30, false), (3, 20, false)], view.Arms.Select(a => (a.Version, a.Weight, a.Control)));
        Assert.Equal((7200, 30, "running"), (view.DurationSeconds, view.IntervalSeconds, view.State));

        var shown = await registry.RunAsync("experiment", "show", name, view.Id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("(control)", shown.Out);
        Assert.Contains("no requests in an arm yet", shown.Out);

        var stopped = await registry.RunAsync("experiment", "stop", name, view.Id);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("stopped", stopped.Out);
        var again = await registry.RunAsync("experiment", "stop", name, view.Id);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already ended", again.Error);
    }

    [Fact]
    public async Task An_arm_or_duration_that_does_not_parse_is_a_usage_error_naming_the_option()
    {
        var arm = await registry.RunAsync("experiment", "start", "m", "--arm", "1:50", "--arm", "2=50", "--duration", "1h");
        var duration = await registry.RunAsync("experiment", "start", "m", "--arm", "1=50", "--arm", "2=50", "--duration", "an hour");

        Assert.Equal((2, 2), (arm.ExitCode, duration.ExitCode));
        Assert.Contains("--arm", arm.Error);
        Assert.Contains("--duration", duration.Error);
    }

    [Theory]
    [InlineData("2=25", 2, 25)]
    [InlineData("10 = 5%", 10, 5)]
    public void Arms_read_as_people_type_them(string text, int version, int weight)
    {
        Assert.True(ExperimentCommands.TryArm(text, out var arm));
        Assert.Equal((version, weight), (arm.Version, arm.Weight));
    }
}
