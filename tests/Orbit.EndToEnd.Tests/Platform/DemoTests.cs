using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Platform;

/// <summary>
/// The README's first command, for real: <c>./orbit demo</c> starts the platform with two workers and runs the whole
/// lifecycle, ending with version 2 promoted and no failed request (its exit code says both).
/// </summary>
public sealed class DemoTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Orbit_demo_trains_serves_drifts_retrains_and_promotes_version_2_without_a_failed_request()
    {
        await using var platform = await Platform.CreateAsync();
        platform.Output = output;

        var printed = await platform.OrbitOkAsync("demo");

        Assert.Contains("registered as version 1", printed);
        Assert.Contains("promoted: passed", printed);
        Assert.Matches(@"real-time \([\d,]+ rows\), [\d,]+ asynchronous; 0 failed", printed);
        Assert.Matches(@"batch bj_\w+: 20,000 rows", printed);
        Assert.Contains("at 100 %: pass → promote", printed);
        Assert.Contains($"http://127.0.0.1:{platform.BasePort}/ui/", printed);
    }
}
