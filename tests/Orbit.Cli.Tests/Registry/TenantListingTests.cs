using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Tests.Registry;

/// <summary><c>orbit models list --tenant T | --all-tenants</c> and <c>models show --tenant T</c> with the platform's admin key and a tenant's.</summary>
public sealed class TenantListingTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    [Fact]
    public async Task The_platform_key_lists_its_own_tenant_by_default_one_tenant_with_tenant_and_every_tenant_with_all_tenants()
    {
        var (tenant, tenantKey) = await TenantAsync();
        var (theirs, ours) = (RegistryUnderTest.UniqueName("theirs"), RegistryUnderTest.UniqueName("ours"));
        Assert.Equal(0, (await registry.RunWithKeyAsync(tenantKey, "models", "push", theirs, RegistryUnderTest.AddModel)).ExitCode);
        Assert.Equal(0, (await registry.RunAsync("models", "push", ours, RegistryUnderTest.AddModel)).ExitCode);

        var own = await registry.RunAsync("models", "list");
        var one = await registry.RunAsync("models", "list", "--tenant", tenant, "--json");
        var all = await registry.RunAsync("models", "list", "--all-tenants");
        var show = await registry.RunAsync("models", "show", theirs, "--tenant", tenant);

        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Contains(ours, own.Out);
        Assert.DoesNotContain(theirs, own.Out);
        Assert.DoesNotContain("TENANT", own.Out);
        Assert.Equal([(tenant, theirs)], JsonSerializer.Deserialize<Page<ModelView>>(one.Out, JsonSerializerOptions.Web)!.Items.Select(m => (m.Tenant, m.Name)));
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("TENANT", all.Out);
        Assert.Equal([tenant, theirs], Cells(Row(all.Out, theirs)).Take(2));
        Assert.Equal(["admin", ours], Cells(Row(all.Out, ours)).Take(2));
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(tenant, show.Out);
        Assert.Contains("sha256:", show.Out);
    }

    [Fact]
    public async Task A_tenant_key_naming_another_tenant_is_told_404_and_both_options_at_once_are_a_usage_error()
    {
        var (other, otherKey) = await TenantAsync();
        var (_, mineKey) = await TenantAsync();
        var theirs = RegistryUnderTest.UniqueName("theirs");
        Assert.Equal(0, (await registry.RunWithKeyAsync(otherKey, "models", "push", theirs, RegistryUnderTest.AddModel)).ExitCode);

        var list = await registry.RunWithKeyAsync(mineKey, "models", "list", "--tenant", other);
        var show = await registry.RunWithKeyAsync(mineKey, "models", "show", theirs, "--tenant", other);
        var both = await registry.RunAsync("models", "list", "--tenant", other, "--all-tenants");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains("[404]", list.Error);
        Assert.DoesNotContain(theirs, list.Out + list.Error);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("[404]", show.Error);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("use --tenant or --all-tenants, not both", both.Error);
    }

    private async Task<(string Tenant, string Key)> TenantAsync()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await registry.RunAsync("tenants", "create", tenant)).ExitCode);
        var created = await registry.RunAsync("keys", "create", "--tenant", tenant, "--role", "admin", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        return (tenant, JsonSerializer.Deserialize<ApiKeyCreated>(created.Out, JsonSerializerOptions.Web)!.Key);
    }

    private static string Row(string table, string name) => Assert.Single(table.Split('\n'), line => line.Contains(name, StringComparison.Ordinal));

    /// <summary>The cells of a table row: Spectre draws columns with '│'.</summary>
    private static string[] Cells(string row) =>
        row.Split('│', StringSplitOptions.TrimEntries).Where(cell => cell.Length > 0).ToArray();
}
