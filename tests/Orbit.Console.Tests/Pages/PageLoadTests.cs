using Orbit.Console.Tests.Support;

namespace Orbit.Console.Tests.Pages;

/// <summary>Every page, with a screenshot of each; a page whose API is missing says so instead of staying blank.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageLoadTests(ConsoleStack stack)
{
    [ChromiumFact]
    public async Task The_drift_page_shows_an_error_when_no_drift_monitor_answers()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        await console.OpenAsync($"#/drift/{model}");
        var error = console.Page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.Contains($"/v1/drift/{model}", await error.InnerTextAsync());
        await console.ScreenshotAsync("drift-error");
    }

    [ChromiumFact]
    public async Task Every_page_whose_api_fails_shows_the_call_the_status_and_the_problem_not_a_blank()
    {
        var tenant = await stack.TenantAsync("deployer");
        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        var page = console.Page;
        // Each page's own API answers 503 with a problem detail; the log-in call (whoami) still works. The log-in lands on
        // #/models, rendered before the route was set: the pages are opened in an order that changes the hash each time.
        await page.RouteAsync(new System.Text.RegularExpressions.Regex("/v1/(models|workers|batch-jobs|audit)([/?]|$)"), r => r.FulfillAsync(new()
        {
            Status = 503, ContentType = "application/problem+json",
            Body = """{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"the store is being restarted"}""",
        }));

        foreach (var (hash, call) in new[] { ("#/fleet", "GET /v1/workers"), ("#/batch", "GET /v1/batch-jobs"), ("#/audit", "GET /v1/audit"), ("#/models", "GET /v1/models"), ("#/models/churn", "GET /v1/models/churn") })
        {
            await console.OpenAsync(hash);
            var error = page.Locator("#page").GetByTestId("error").First;
            try
            {
                await error.WaitForAsync();
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{hash}: no error shown; page: {await page.Locator("#page").InnerTextAsync()}; script errors: {string.Join(" | ", console.ScriptErrors)}");
            }

            var text = await error.InnerTextAsync();
            Assert.Contains(call, text);
            Assert.Contains("HTTP 503", text);
            Assert.Contains("the store is being restarted", text);
        }

        await console.ScreenshotAsync("models-error");
    }

    [ChromiumFact]
    public async Task The_fleet_batch_and_audit_pages_load_or_say_why_not()
    {
        var tenant = await stack.TenantAsync("deployer");
        using var api = stack.Client(tenant.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);

        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["deployer"]);
        var page = console.Page;
        await console.OpenAsync("#/fleet");
        await page.GetByTestId("fleet-updated").Filter(new() { HasText = "worker(s)" }).WaitForAsync();
        await console.ScreenshotAsync("fleet");

        await console.OpenAsync("#/batch");
        var content = page.Locator("#page");
        await content.Locator("[data-testid=error], [data-testid=batch-jobs], .empty").First.WaitForAsync();
        Assert.NotEqual("", (await content.InnerTextAsync()).Replace("Batch jobs", "").Trim());
        await console.ScreenshotAsync("batch");

        await console.OpenAsync("#/audit");
        await page.GetByTestId("audit").WaitForAsync();
        await page.GetByTestId("audit-model").FillAsync(model);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("audit").Locator("tbody tr").Filter(new() { HasNotText = model })).ToHaveCountAsync(0);
        var rows = await page.GetByTestId("audit").Locator("tbody tr").AllInnerTextsAsync();
        Assert.All(rows, r => Assert.Contains(model, r));
        Assert.Equal(2, rows.Count(r => r.Contains("version.registered", StringComparison.Ordinal)));
        await console.ScreenshotAsync("audit");
    }
}
