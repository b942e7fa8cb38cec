using Orbit.Cli.Tests.Registry;

namespace Orbit.Cli.Tests.Batch;

/// <summary><c>orbit batch</c> against an in-process registry: refusals are one line naming the cause and what to run next.</summary>
public sealed class BatchCommandsTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    [Fact]
    public async Task Listing_with_no_jobs_says_how_to_submit_one()
    {
        var run = await registry.RunAsync("batch", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("./orbit batch submit FILE --model M --follow", run.Out);
    }

    [Fact]
    public async Task Submitting_a_file_that_does_not_exist_is_a_usage_error()
    {
        var run = await registry.RunAsync("batch", "submit", "/nonexistent/rows.csv", "--model", "m");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file: /nonexistent/rows.csv", run.Error);
    }

    [Fact]
    public async Task Output_without_follow_says_what_to_run_instead()
    {
        var run = await registry.RunAsync("batch", "submit", Csv(), "--model", "m", "--output", "out.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("orbit batch download ID --output FILE", run.Error);
    }

    [Fact]
    public async Task Submitting_for_an_unknown_model_says_it_is_not_found()
    {
        var run = await registry.RunAsync("batch", "submit", Csv(), "--model", RegistryUnderTest.UniqueName());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not found", run.Error);
    }

    [Fact]
    public async Task Submitting_for_a_model_without_a_batch_dimension_names_the_problem()
    {
        var name = RegistryUnderTest.UniqueName();
        Assert.Equal(0, (await registry.RunAsync("models", "push", name, RegistryUnderTest.AddModel)).ExitCode);
        Assert.Equal(0, (await registry.RunAsync("deploy", name, "--stable", "1")).ExitCode);

        var run = await registry.RunAsync("batch", "submit", Csv(), "--model", name);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has no batch dimension", run.Error);
    }

    [Fact]
    public async Task Showing_an_unknown_job_says_it_is_not_found()
    {
        var run = await registry.RunAsync("batch", "show", "bj_" + new string('0', 32));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not found", run.Error);
    }

    private static string Csv()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orbit-cli-batch-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        return path;
    }
}
