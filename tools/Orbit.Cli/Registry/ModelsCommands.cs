using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit models push|list|show|retire</c>.</summary>
internal static class ModelsCommands
{
    public static Command Create(RegistryRunner runner)
    {
        var models = new Command("models", "Upload, list, inspect and retire model versions in the registry");
        models.Subcommands.Add(Push(runner));
        models.Subcommands.Add(List(runner));
        models.Subcommands.Add(Show(runner));
        models.Subcommands.Add(Retire(runner));
        return models;
    }

    private static Command Push(RegistryRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Model name (created on its first version)" };
        var file = new Argument<string>("file") { Description = "The .onnx file; it is streamed, not loaded into memory" };
        var metadata = new Option<string?>("--metadata") { Description = "JSON file with the version's metadata (trainingDate, datasetVersion, metrics, features, baseline, lineage)" };
        var description = new Option<string?>("--description") { Description = "Description of the version (overrides the metadata's)" };
        var tags = new Option<string[]>("--tag") { Description = "A tag for the version; repeat for more (replaces the metadata's)" };
        var command = new Command("push", "Upload a new version of a model") { name, file, metadata, description, tags };

        Func<ParseResult, (string? Metadata, string? Error)> input = parse =>
            PushInput.Read(parse.GetValue(file)!, parse.GetValue(metadata), parse.GetValue(description), parse.GetValue(tags) ?? []);

        return runner.Define(command, async (call, ct) =>
        {
            var result = await call.Api.PushAsync(call.Get(name)!, call.Get(file)!, input(call.Parse).Metadata, ct);
            return await call.AnswerAsync(result, version =>
            {
                var table = new Table().AddColumns("MODEL", "VERSION", "DIGEST", "SIZE", "STATUS");
                table.AddRow(Markup.Escape(version.Model), version.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(version.Digest), Views.Size(version.SizeBytes), Markup.Escape(version.Status));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"inputs   {Views.Cell(Views.Signature(version.Signature.Inputs))}");
                AnsiConsole.MarkupLine($"outputs  {Views.Cell(Views.Signature(version.Signature.Outputs))}");
                AnsiConsole.MarkupLine($"checked  loads in ONNX Runtime ({Views.Cell(version.Signature.Provider)})");
            });
        }, parse => input(parse).Error);
    }

    private static Command List(RegistryRunner runner)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant whose models to list (defaults to your own; another tenant's needs a key of the platform tenant 'admin')" };
        var allTenants = new Option<bool>("--all-tenants") { Description = "Every tenant's models, with a TENANT column (a key of the platform tenant 'admin')" };
        var command = new Command("list", "List the models: versions, latest, and what is deployed") { tenant, allTenants };
        return runner.Define(command, async (call, ct) =>
        {
            var all = call.Get(allTenants);
            var scope = call.Get(tenant);
            if (!all && scope is null)
            {
                // A platform key's plain listing is every tenant's: name its own tenant to keep the default "your own".
                var me = await call.Api.WhoAmIAsync(ct);
                if (await call.FailedAsync(me))
                {
                    return RegistryRunner.Failed;
                }

                scope = me.Value!.TenantId;
            }

            var result = await RegistryApi.AllAsync<ModelView>(cursor => call.Api.ListModelsAsync(scope, cursor, ct));
            return await call.AnswerAsync(result, page =>
            {
                if (page.Items.Count == 0)
                {
                    AnsiConsole.WriteLine(all || call.Get(tenant) is not null ? "No models." : "No models yet. Upload one: orbit models push NAME FILE.onnx");
                    return;
                }

                var table = new Table();
                if (all)
                {
                    table.AddColumn("TENANT");
                }

                table.AddColumns("NAME", "VERSIONS", "LATEST", "STABLE", "CANDIDATE (WEIGHT)", "CREATED");
                foreach (var model in page.Items)
                {
                    var deployment = model.Deployment;
                    var cells = new List<string>(7);
                    if (all)
                    {
                        cells.Add(Markup.Escape(model.Tenant ?? "-"));
                    }

                    cells.AddRange(
                    [
                        Markup.Escape(model.Name),
                        model.VersionCount.ToString(CultureInfo.InvariantCulture),
                        Views.Version(model.LatestVersion),
                        Views.Version(deployment?.StableVersion),
                        deployment?.CandidateVersion is { } candidate ? $"{candidate.ToString(CultureInfo.InvariantCulture)} ({deployment.CandidateWeight.ToString(CultureInfo.InvariantCulture)}%)" : "-",
                        Views.Time(model.CreatedAt),
                    ]);
                    table.AddRow(cells.ToArray());
                }

                AnsiConsole.Write(table);
            });
        }, parse => parse.GetValue(allTenants) && parse.GetValue(tenant) is not null ? "use --tenant or --all-tenants, not both" : null);
    }

    private static Command Show(RegistryRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Model name" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant whose model to show (defaults to your own; another tenant's needs a key of the platform tenant 'admin')" };
        var command = new Command("show", "Show a model, its deployment and its versions") { name, tenant };
        return runner.Define(command, async (call, ct) =>
        {
            var model = await call.Api.GetModelAsync(call.Get(name)!, call.Get(tenant), ct);
            if (await call.FailedAsync(model))
            {
                return RegistryRunner.Failed;
            }

            var versions = await RegistryApi.AllAsync<VersionView>(cursor => call.Api.ListVersionsAsync(call.Get(name)!, call.Get(tenant), cursor, ct));
            if (await call.FailedAsync(versions))
            {
                return RegistryRunner.Failed;
            }

            if (call.Json)
            {
                var both = new JsonObject
                {
                    ["model"] = JsonNode.Parse(model.Json),
                    ["versions"] = JsonNode.Parse(JsonSerializer.Serialize(versions.Value!.Items, JsonSerializerOptions.Web)),
                };
                RegistryCall.WriteJson(both.ToJsonString());
                return RegistryRunner.Ok;
            }

            WriteModel(model.Value!, versions.Value!.Items);
            return RegistryRunner.Ok;
        });
    }

    private static Command Retire(RegistryRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Model name" };
        var version = new Argument<int>("version") { Description = "Version number" };
        var command = new Command("retire", "Retire a version: it stays stored but can no longer be deployed") { name, version };
        return runner.Define(command, async (call, ct) =>
        {
            var result = await call.Api.RetireVersionAsync(call.Get(name)!, call.Get(version), ct);
            return await call.AnswerAsync(result, v =>
                AnsiConsole.MarkupLine($"{Markup.Escape(v.Model)} version {v.Version.ToString(CultureInfo.InvariantCulture)} is now [bold]{Markup.Escape(v.Status)}[/]"));
        });
    }

    private static void WriteModel(ModelView model, IReadOnlyList<VersionView> versions)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]model[/]", Markup.Escape(model.Name));
        summary.AddRow("[bold]tenant[/]", Markup.Escape(model.Tenant ?? "-"));
        summary.AddRow("[bold]versions[/]", model.VersionCount.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("[bold]latest[/]", Views.Version(model.LatestVersion));
        summary.AddRow("[bold]created[/]", Views.Time(model.CreatedAt));
        AnsiConsole.Write(summary);
        AnsiConsole.WriteLine();

        AnsiConsole.MarkupLine("[bold]deployment[/]");
        if (model.Deployment is { } deployment)
        {
            Views.WriteDeployment(deployment);
        }
        else
        {
            AnsiConsole.WriteLine($"not deployed (orbit deploy {model.Name} --stable VERSION)");
        }

        AnsiConsole.WriteLine();
        var table = new Table().AddColumns("VERSION", "DIGEST", "SIZE", "STATUS", "CREATED", "CREATED BY", "DATASET", "TRAINED");
        foreach (var v in versions)
        {
            table.AddRow(
                v.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Views.ShortDigest(v.Digest)),
                Views.Size(v.SizeBytes),
                Markup.Escape(v.Status),
                Views.Time(v.CreatedAt),
                Markup.Escape(v.CreatedBy),
                Views.Cell(Views.Metadata(v.Metadata, "datasetVersion")),
                Views.Cell(Views.Metadata(v.Metadata, "trainingDate")));
        }

        AnsiConsole.Write(table);
    }
}
