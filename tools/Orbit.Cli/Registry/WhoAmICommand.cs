using System.CommandLine;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit whoami</c>: the key's id, tenant and role (never the key itself).</summary>
internal static class WhoAmICommand
{
    public static Command Create(RegistryRunner runner) =>
        runner.Define(new Command("whoami", "Show which key, tenant and role the registry sees"), async (call, ct) =>
            await call.AnswerAsync(await call.Api.WhoAmIAsync(ct), identity =>
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("[bold]key[/]", Markup.Escape(identity.KeyId));
                grid.AddRow("[bold]tenant[/]", Markup.Escape(identity.TenantId));
                grid.AddRow("[bold]role[/]", Markup.Escape(identity.Role));
                grid.AddRow("[bold]registry[/]", $"{Markup.Escape(call.Api.Connection.Url.ToString())} (from {Markup.Escape(call.Api.Connection.UrlSource)})");
                grid.AddRow("[bold]key from[/]", Markup.Escape(call.Api.Connection.KeySource));
                AnsiConsole.Write(grid);
            }));
}
