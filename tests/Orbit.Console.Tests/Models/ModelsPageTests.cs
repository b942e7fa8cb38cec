using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Orbit.Console.Tests.Support;
using Orbit.Contracts.Rollouts;
using Orbit.Testing;

namespace Orbit.Console.Tests.Models;

[Collection(ConsoleCollection.Name)]
public sealed class ModelsPageTests(ConsoleStack stack)
{
    [ChromiumFact]
    public async Task A_deployer_logs_in_sees_the_model_and_reads_a_rollout_decisions_numbers()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        (await api.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1))).EnsureSuccessStatusCode();
        // No traffic reaches either version, so the controller's decisions are inconclusive: the step holds.
        await Eventually.GetAsync(async () => (await ConsoleStack.RolloutAsync(api, model)).Decisions.Count > 0 ? "decided" : null, TimeSpan.FromSeconds(60), "a first rollout decision");

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        var page = console.Page;
        await page.GetByTestId($"model-{model}").WaitForAsync();
        Assert.Contains("v1 90% · v2 10%", await page.GetByTestId($"model-{model}").InnerTextAsync());
        await console.ScreenshotAsync("models");

        await page.GetByRole(AriaRole.Link, new() { Name = model }).ClickAsync();
        var decision = page.GetByTestId("decision").First;
        await decision.WaitForAsync();
        var id = long.Parse((await decision.GetAttributeAsync("data-decision-id"))!, CultureInfo.InvariantCulture);
        var recorded = (await ConsoleStack.RolloutAsync(api, model)).Decisions.Single(d => d.Id == id);
        Assert.Equal("inconclusive", recorded.Verdict);
        Assert.NotEmpty(recorded.Metrics);
        foreach (var metric in recorded.Metrics)
        {
            var row = decision.GetByTestId($"metric-{metric.Metric}");
            Assert.Equal($"{metric.CandidateSamples:N0} / {metric.StableSamples:N0}", await row.GetByTestId("samples").InnerTextAsync());
            Assert.Equal(metric.Margin, double.Parse(await row.GetByTestId("margin").InnerTextAsync(), CultureInfo.InvariantCulture), 1e-9);
            Assert.Equal(metric.Verdict, await row.GetByTestId("verdict").InnerTextAsync());
        }

        Assert.Contains("inconclusive", await decision.InnerTextAsync());
        Assert.Equal(1, await page.Locator("[data-edge='1->2']").CountAsync());
        Assert.Contains("accuracy 0.93", await page.GetByTestId("version-2").InnerTextAsync());
        // No retrainer behind this gateway: its section says so and the rest of the page stands.
        await page.GetByTestId("retrains").GetByTestId("error").WaitForAsync();
        var shot = await console.ScreenshotAsync("model-rollout");
        CopyToDocs(shot);
    }

    /// <summary>
    /// The README shows a real screenshot, taken by this test: copied into the repository when there is none, or when
    /// ORBIT_UPDATE_DOCS_SCREENSHOT=1 asks for a new one (so an ordinary test run leaves the working tree clean).
    /// </summary>
    private static void CopyToDocs(string screenshot)
    {
        var target = Path.Combine(RepositoryRoot.Path, "docs", "images", "console-models.png");
        if (!File.Exists(target) || Environment.GetEnvironmentVariable("ORBIT_UPDATE_DOCS_SCREENSHOT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(screenshot, target, overwrite: true);
        }
    }
}
