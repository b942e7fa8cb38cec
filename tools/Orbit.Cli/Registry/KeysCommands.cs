using System.CommandLine;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit keys create|list|revoke</c> (admins). A key is printed once, when it is created.</summary>
internal static class KeysCommands
{
    public static Command Create(RegistryRunner runner)
    {
        var keys = new Command("keys", "Create, list and revoke API keys");
        keys.Subcommands.Add(CreateKey(runner));
        keys.Subcommands.Add(List(runner));
        keys.Subcommands.Add(Revoke(runner));
        return keys;
    }

    private static Command CreateKey(RegistryRunner runner)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant the key belongs to (defaults to your own)" };
        var role = new Option<string>("--role") { Description = "viewer, predictor, deployer or admin", Required = true };
        var description = new Option<string?>("--description") { Description = "What the key is for" };
        var command = new Command("create", "Create an API key; it is shown once") { tenant, role, description };
        return runner.Define(command, async (call, ct) =>
            await call.AnswerAsync(await call.Api.CreateKeyAsync(new CreateApiKey(call.Get(role)!, call.Get(tenant), call.Get(description)), ct), created =>
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("[bold]id[/]", Markup.Escape(created.KeyId));
                grid.AddRow("[bold]tenant[/]", Markup.Escape(created.TenantId));
                grid.AddRow("[bold]role[/]", Markup.Escape(created.Role));
                grid.AddRow("[bold]key[/]", Markup.Escape(created.Key));
                AnsiConsole.Write(grid);
                AnsiConsole.MarkupLine("[yellow]Store the key now: it is not shown again.[/]");
            }));
    }

    private static Command List(RegistryRunner runner)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant whose keys to list (defaults to your own)" };
        var command = new Command("list", "List API keys (ids and roles, never the keys)") { tenant };
        return runner.Define(command, async (call, ct) =>
            await call.AnswerAsync(await RegistryApi.AllAsync<ApiKeyView>(cursor => call.Api.ListKeysAsync(call.Get(tenant), cursor, ct)), page =>
            {
                var table = new Table().AddColumns("ID", "TENANT", "ROLE", "DESCRIPTION", "CREATED", "CREATED BY", "REVOKED");
                foreach (var key in page.Items)
                {
                    table.AddRow(
                        Markup.Escape(key.KeyId),
                        Markup.Escape(key.TenantId),
                        Markup.Escape(key.Role),
                        Views.Cell(key.Description),
                        Views.Time(key.CreatedAt),
                        Markup.Escape(key.CreatedBy),
                        key.RevokedAt is { } revoked ? Views.Time(revoked) : "-");
                }

                AnsiConsole.Write(table);
            }));
    }

    private static Command Revoke(RegistryRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Key id (from orbit keys list)" };
        var command = new Command("revoke", "Revoke an API key; requests with it are refused from now on") { id };
        return runner.Define(command, async (call, ct) =>
            await call.AnswerAsync(await call.Api.RevokeKeyAsync(call.Get(id)!, ct), _ => AnsiConsole.MarkupLine($"key {Markup.Escape(call.Get(id)!)} revoked")));
    }
}
