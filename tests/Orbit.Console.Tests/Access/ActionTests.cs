using System.Net;
using System.Net.Http.Json;
using Orbit.Console.Tests.Support;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Testing;

namespace Orbit.Console.Tests.Access;

[Collection(ConsoleCollection.Name)]
public sealed class ActionTests(ConsoleStack stack)
{
    [ChromiumFact]
    public async Task Promote_and_roll_back_through_the_console_change_the_deployment()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        (await api.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1, 2, 25))).EnsureSuccessStatusCode();

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        await console.OpenAsync($"#/models/{model}");
        var page = console.Page;
        await page.GetByTestId("promote").ClickAsync();
        Assert.Contains($"Promote v2 of {model}", await page.GetByTestId("confirm").InnerTextAsync());
        await page.GetByTestId("confirm-yes").ClickAsync();
        await page.GetByTestId("deployment-split").Filter(new() { HasText = "v2 100%" }).WaitForAsync();
        var promoted = await ConsoleStack.DeploymentAsync(api, model);
        Assert.Equal((2, (int?)null), (promoted.StableVersion!.Value, promoted.CandidateVersion));

        await page.GetByTestId("rollback").ClickAsync();
        await page.GetByTestId("confirm-yes").ClickAsync();
        await page.GetByTestId("deployment-split").Filter(new() { HasText = "v1 100%" }).WaitForAsync();
        var rolledBack = await ConsoleStack.DeploymentAsync(api, model);
        Assert.Equal((1, (int?)null), (rolledBack.StableVersion!.Value, rolledBack.CandidateVersion));
    }

    [ChromiumFact]
    public async Task A_cancelled_confirmation_changes_nothing_and_pause_then_abort_end_the_rollout()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        (await api.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1))).EnsureSuccessStatusCode();

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        await console.OpenAsync($"#/models/{model}");
        var page = console.Page;
        await page.GetByTestId("abort").ClickAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal("running", (await ConsoleStack.RolloutAsync(api, model)).State);

        await page.GetByTestId("pause").ClickAsync();
        await page.GetByTestId("confirm-yes").ClickAsync();
        await page.GetByTestId("resume").WaitForAsync();
        Assert.Equal("paused", (await ConsoleStack.RolloutAsync(api, model)).State);

        await page.GetByTestId("abort").ClickAsync();
        await page.GetByTestId("confirm-yes").ClickAsync();
        await page.GetByTestId("rollout").Filter(new() { HasText = "aborted" }).WaitForAsync();
        Assert.Equal("aborted", (await ConsoleStack.RolloutAsync(api, model)).State);
        Assert.Null((await ConsoleStack.DeploymentAsync(api, model)).CandidateVersion);
    }

    [ChromiumFact]
    public async Task A_shadow_shows_its_mirror_settings_and_tallies_offers_no_pause_and_abort_ends_it()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        (await api.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, Strategy: "shadow", MirrorPercent: 40, DurationSeconds: 600))).EnsureSuccessStatusCode();

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        await console.OpenAsync($"#/models/{model}");
        var page = console.Page;
        var section = page.GetByTestId("rollout");
        await section.Filter(new() { HasText = "mirrored at 40%" }).WaitForAsync();
        Assert.Contains("Shadow", await section.InnerTextAsync());
        Assert.Equal(1, await page.GetByTestId("shadow-tallies").CountAsync());
        Assert.Equal(0, await page.GetByTestId("pause").CountAsync());

        await page.GetByTestId("abort").ClickAsync();
        await page.GetByTestId("confirm-yes").ClickAsync();
        await section.Filter(new() { HasText = "aborted" }).WaitForAsync();
        Assert.Equal("aborted", (await ConsoleStack.RolloutAsync(api, model)).State);
    }

    [ChromiumFact]
    public async Task A_viewer_sees_no_action_buttons_and_the_api_refuses_the_action_anyway()
    {
        var tenant = await stack.TenantAsync("deployer", "viewer");
        using var deployer = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(deployer);
        (await deployer.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1))).EnsureSuccessStatusCode();

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["viewer"]);
        await console.OpenAsync($"#/models/{model}");
        var page = console.Page;
        await page.GetByTestId("rollout").Filter(new() { HasText = "running" }).WaitForAsync();
        Assert.Contains("v1 90% · v2 10%", await page.GetByTestId("deployment-split").InnerTextAsync());
        foreach (var button in new[] { "promote", "rollback", "pause", "resume", "abort" })
        {
            Assert.Equal(0, await page.GetByTestId(button).CountAsync());
        }

        await console.ScreenshotAsync("model-viewer");
        using var viewer = stack.Client(tenant.Keys["viewer"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/v1/models/{model}/deployment/promote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/v1/models/{model}/rollout/abort", null)).StatusCode);
        Assert.Equal("running", (await ConsoleStack.RolloutAsync(deployer, model)).State);
    }
}
