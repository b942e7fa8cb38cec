using System.CommandLine;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit tenants create|list</c> (platform admins).</summary>
internal static class TenantsCommands
{
    public static Command Create(RegistryRunner runner)
    {
        var tenants = new Command("tenants", "Create and list tenants (admins of the platform tenant only)");
        tenants.Subcommands.Add(CreateTenant(runner));
        tenants.Subcommands.Add(List(runner));
        return tenants;
    }

    private static Command CreateTenant(RegistryRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Tenant id: lowercase letters, digits and '-'" };
        var name = new Option<string?>("--name") { Description = "Display name (defaults to the id)" };
        var command = new Command("create", "Create a tenant") { id, name };
        return runner.Define(command, async (call, ct) =>
            await call.AnswerAsync(await call.Api.CreateTenantAsync(new CreateTenant(call.Get(id)!, call.Get(name)), ct), tenant => Write([tenant])));
    }

    private static Command List(RegistryRunner runner) =>
        runner.Define(new Command("list", "List the tenants"), async (call, ct) =>
            await call.AnswerAsync(await RegistryApi.AllAsync<TenantView>(cursor => call.Api.ListTenantsAsync(cursor, ct)), page => Write(page.Items)));

    private static void Write(IReadOnlyList<TenantView> tenants)
    {
        var table = new Table().AddColumns("ID", "NAME", "CREATED");
        foreach (var tenant in tenants)
        {
            table.AddRow(Markup.Escape(tenant.Id), Markup.Escape(tenant.DisplayName), Views.Time(tenant.CreatedAt));
        }

        AnsiConsole.Write(table);
    }
}
