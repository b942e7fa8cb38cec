using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Orbit.Console.Tests.Support;
using Orbit.Contracts.Registry;

namespace Orbit.Console.Tests.Access;

/// <summary>The Models page of the platform tenant's key: every tenant's models, a tenant filter, and another tenant's model read-only.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PlatformModelsTests(ConsoleStack stack)
{
    [ChromiumFact]
    public async Task The_platform_admin_sees_every_tenants_models_filters_to_one_and_opens_another_tenants_model_read_only()
    {
        var owner = await stack.TenantAsync("deployer");
        using var api = stack.Client(owner.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        // The admin tenant has a model of the same name (one version, not deployed): the page must read the owner's.
        using var admin = stack.Client();
        await ConsoleStack.PushAsync(admin, model, """{"description":"the admin tenant's own"}""");

        await using var console = await ConsolePage.LogInAsync(stack, ConsoleStack.AdminKey);
        var page = console.Page;
        var owners = page.Locator($"[data-testid='model-{model}'][data-tenant='{owner.Id}']");
        var admins = page.Locator($"[data-testid='model-{model}'][data-tenant='admin']");
        await owners.WaitForAsync();
        Assert.Equal(owner.Id, await owners.GetByTestId("model-tenant").InnerTextAsync());
        Assert.Contains("v1 100%", await owners.InnerTextAsync());
        Assert.Equal("admin", await admins.GetByTestId("model-tenant").InnerTextAsync());
        Assert.Contains("tenant", await page.GetByTestId("models").Locator("th").First.InnerTextAsync());

        await page.GetByTestId("models-tenant").Locator($"option[value='{owner.Id}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("models-tenant").SelectOptionAsync(owner.Id);
        await Assertions.Expect(admins).ToHaveCountAsync(0);
        var tenants = await page.GetByTestId("model-tenant").AllInnerTextsAsync();
        Assert.All(tenants, t => Assert.Equal(owner.Id, t));
        Assert.Equal(owner.Id, await page.GetByTestId("tenant").InputValueAsync());

        await owners.GetByRole(AriaRole.Link, new() { Name = model }).ClickAsync();
        await page.GetByTestId("version-2").WaitForAsync();
        Assert.Equal($"tenant {owner.Id}", await page.GetByTestId("model-page-tenant").InnerTextAsync());
        Assert.Contains("v1 100%", await page.GetByTestId("deployment-split").InnerTextAsync());
        await page.GetByTestId("read-only").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("deployment-actions").CountAsync());
        Assert.Contains($"?tenant={owner.Id}", page.Url);
        // The rollout call's 404 (none yet) is an answer the page expects; the browser logs it, nothing else may be there.
        Assert.DoesNotContain(console.ScriptErrors, e => !e.StartsWith("Failed to load resource", StringComparison.Ordinal));
        await console.ScreenshotAsync("platform-models");
    }

    [ChromiumFact]
    public async Task A_tenant_key_sees_no_tenant_column_and_another_tenants_model_link_is_a_404()
    {
        var owner = await stack.TenantAsync("deployer");
        using var api = stack.Client(owner.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        var other = await stack.TenantAsync("admin");
        using var otherApi = stack.Client(other.Keys["admin"]);
        var own = await ConsoleStack.DeployedModelWithTwoVersionsAsync(otherApi);

        await using var console = await ConsolePage.LogInAsync(stack, other.Keys["admin"]);
        var page = console.Page;
        await page.GetByTestId($"model-{own}").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("model-tenant").CountAsync());
        Assert.Equal(0, await page.GetByTestId("models-tenant").CountAsync());
        Assert.Equal(0, await page.GetByTestId("tenant").CountAsync());
        Assert.Equal("model", await page.GetByTestId("models").Locator("th").First.InnerTextAsync());

        await console.OpenAsync($"#/models/{model}?tenant={owner.Id}");
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.Contains("HTTP 404", await error.InnerTextAsync());
        Assert.Equal(0, await page.GetByTestId("versions").CountAsync());
    }

    [Fact]
    public async Task Through_the_gateway_the_platform_key_reads_any_tenants_models_and_a_tenant_key_gets_404_for_another_tenant()
    {
        var owner = await stack.TenantAsync("viewer", "deployer");
        using var api = stack.Client(owner.Keys["deployer"]);
        var model = await ConsoleStack.DeployedModelWithTwoVersionsAsync(api);
        var other = await stack.TenantAsync("viewer");
        using var admin = stack.Client();
        using var stranger = stack.Client(other.Keys["viewer"]);

        var listed = await admin.GetFromJsonAsync<Page<ModelView>>($"/v1/models?tenant={owner.Id}");
        var everyTenant = await admin.GetFromJsonAsync<Page<ModelView>>("/v1/models?limit=500");
        var versions = await admin.GetFromJsonAsync<Page<VersionView>>($"/v1/models/{model}/versions?tenant={owner.Id}");
        using var strangerModel = await stranger.GetAsync($"/v1/models/{model}?tenant={owner.Id}");
        using var strangerList = await stranger.GetAsync($"/v1/models?tenant={owner.Id}");
        using var anonymous = stack.Client(null);
        using var noKey = await anonymous.GetAsync($"/v1/models?tenant={owner.Id}");

        Assert.Equal([(owner.Id, model)], listed!.Items.Select(m => (m.Tenant, m.Name)));
        Assert.Contains(everyTenant!.Items, m => m.Tenant == owner.Id && m.Name == model);
        Assert.Equal([1, 2], versions!.Items.Select(v => v.Version));
        Assert.Equal(HttpStatusCode.NotFound, strangerModel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerList.StatusCode);
        Assert.DoesNotContain(model, await strangerList.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }
}
