using Orbit.Console.Tests.Support;

namespace Orbit.Console.Tests.Access;

[Collection(ConsoleCollection.Name)]
public sealed class TenancyTests(ConsoleStack stack)
{
    [ChromiumFact]
    public async Task Another_tenants_key_sees_nothing_of_this_tenants_models_or_audit()
    {
        var owner = await stack.TenantAsync("deployer");
        using var api = stack.Client(owner.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        var other = await stack.TenantAsync("admin");

        await using var console = await ConsolePage.LogInAsync(stack, other.Keys["admin"]);
        var page = console.Page;
        await page.GetByText("No models in this tenant yet.").WaitForAsync();
        Assert.DoesNotContain(model, await page.ContentAsync());

        await console.OpenAsync($"#/models/{model}");
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.Contains("HTTP 404", await error.InnerTextAsync());

        await console.OpenAsync("#/audit");
        await page.GetByTestId("audit").WaitForAsync();
        Assert.DoesNotContain(model, await page.GetByTestId("audit").InnerTextAsync());
        Assert.DoesNotContain(owner.Id, await page.GetByTestId("audit").InnerTextAsync());
    }

    [ChromiumFact]
    public async Task The_platform_admin_sees_every_tenants_audit_log_and_can_narrow_it_to_one_tenant()
    {
        var owner = await stack.TenantAsync("deployer");
        using var api = stack.Client(owner.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);

        await using var console = await ConsolePage.LogInAsync(stack, ConsoleStack.AdminKey);
        var page = console.Page;
        await console.OpenAsync("#/audit");
        // Unfiltered, the platform's audit log holds every tenant's entries.
        await page.GetByTestId("audit").Filter(new() { HasText = model }).WaitForAsync();

        await page.GetByTestId("tenant").SelectOptionAsync(owner.Id);
        await page.GetByTestId("audit").Filter(new() { HasText = model }).WaitForAsync();
        var rows = await page.GetByTestId("audit").Locator("tbody tr").AllInnerTextsAsync();
        Assert.All(rows, r => Assert.Contains(owner.Id, r));
    }
}
