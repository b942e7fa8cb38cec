using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Tests.Registry;

public sealed class RegistryCommandsTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    [Fact]
    public async Task Pushing_a_model_prints_its_version_digest_size_and_signature()
    {
        var name = RegistryUnderTest.UniqueName();
        var metadata = WriteMetadata("""{"datasetVersion": "sales-2026-10", "trainingDate": "2026-11-01T00:00:00Z"}""");

        var run = await registry.RunAsync("models", "push", name, RegistryUnderTest.AddModel, "--metadata", metadata, "--description", "first cut", "--tag", "baseline");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(name, run.Out);
        Assert.Contains("sha256:", run.Out);
        Assert.Contains($"{new FileInfo(RegistryUnderTest.AddModel).Length} B", run.Out);
        Assert.Contains("inputs ", run.Out);
        Assert.Contains("float", run.Out, StringComparison.OrdinalIgnoreCase);

        var shown = await ShowAsync(name);
        var version = Assert.Single(shown.Versions);
        Assert.Equal("first cut", version.Description);
        Assert.Equal(["baseline"], version.Tags);
        Assert.Equal("sales-2026-10", version.Metadata.GetProperty("datasetVersion").GetString());
    }

    [Fact]
    public async Task List_and_show_describe_the_models_their_deployment_and_versions()
    {
        var name = await PushTwoVersionsAsync(datasetVersion: "ds-7");
        Assert.Equal(0, (await registry.RunAsync("deploy", name, "--stable", "1", "--candidate", "2", "--weight", "10")).ExitCode);

        var list = await registry.RunAsync("models", "list");
        var show = await registry.RunAsync("models", "show", name);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("CANDIDATE (WEIGHT)", list.Out);
        var row = Assert.Single(list.Out.Split('\n'), line => line.Contains(name, StringComparison.Ordinal));
        Assert.Equal([name, "2", "2", "1", "2 (10%)"], Cells(row).Take(5));

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("DATASET", show.Out);
        Assert.Contains("ds-7", show.Out);
        Assert.Contains("2 (10%)", show.Out);
        Assert.Contains("key:", show.Out);
        Assert.Equal(2, show.Out.Split('\n').Count(line => line.Contains("sha256:", StringComparison.Ordinal) && line.Contains("active", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_follows_the_cursor_past_the_first_page()
    {
        // The registry pages at 50 by default: 51 models need a second page.
        var prefix = RegistryUnderTest.UniqueName("page");
        for (var i = 0; i < 51; i++)
        {
            Assert.Equal(0, (await registry.RunAsync("models", "push", $"{prefix}-{i:00}", RegistryUnderTest.AddModel, "--json")).ExitCode);
        }

        var run = await registry.RunAsync("models", "list", "--json");

        var page = JsonSerializer.Deserialize<Page<ModelView>>(run.Out, Json)!;
        Assert.Equal(51, page.Items.Count(m => m.Name.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Deploy_with_a_candidate_then_promote_then_rollback_prints_each_deployment()
    {
        var name = await PushTwoVersionsAsync();

        var deployed = await registry.RunAsync("deploy", name, "--stable", "1", "--candidate", "2", "--weight", "20");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.Contains("80%", deployed.Out);
        Assert.Contains("20%", deployed.Out);
        Assert.Contains("2 (20%)", deployed.Out);

        var promoted = await DeploymentAsync("promote", name);
        Assert.Equal((2, (int?)null, 1), (promoted.StableVersion!.Value, promoted.CandidateVersion, promoted.PreviousStableVersion!.Value));
        Assert.Equal([(2, 100)], promoted.Routes.Select(r => (r.Version, r.Weight)));

        var rolledBack = await DeploymentAsync("rollback", name);
        Assert.Equal(1, rolledBack.StableVersion);
        Assert.True(rolledBack.Revision > promoted.Revision);

        var undeployed = await registry.RunAsync("undeploy", name);
        Assert.True(undeployed.ExitCode == 0, undeployed.ToString());
        Assert.Contains("routes: none", undeployed.Out);
    }

    [Fact]
    public async Task Audit_shows_who_deployed_promoted_and_rolled_back_newest_first()
    {
        var name = await PushTwoVersionsAsync();
        await registry.RunAsync("deploy", name, "--stable", "1", "--candidate", "2", "--weight", "50");
        await registry.RunAsync("promote", name);
        await registry.RunAsync("rollback", name);
        var admin = JsonSerializer.Deserialize<CallerIdentity>((await registry.RunAsync("whoami", "--json")).Out, Json)!;

        var run = await registry.RunAsync("audit", "--model", name, "--since", "1h", "--actor", admin.KeyId);

        Assert.True(run.ExitCode == 0, run.ToString());
        var actions = run.Out.Split('\n')
            .Where(line => line.Contains($"models/{name}", StringComparison.Ordinal))
            .Select(line => Cells(line)[3])
            .ToList();
        Assert.Equal(["deployment.rolled-back", "deployment.promoted", "deployment.set"], actions.Take(3));
        Assert.Contains(admin.KeyId, run.Out);
    }

    [Fact]
    public async Task Audit_limit_caps_the_entries_shown()
    {
        var name = await PushTwoVersionsAsync();

        var run = await registry.RunAsync("audit", "--model", name, "--limit", "1", "--json");

        Assert.Single(JsonSerializer.Deserialize<Page<AuditEntry>>(run.Out, Json)!.Items);
    }

    [Fact]
    public async Task A_key_created_by_the_CLI_is_the_key_that_whoami_then_reports()
    {
        var tenant = RegistryUnderTest.UniqueName("t");
        Assert.Equal(0, (await registry.RunAsync("tenants", "create", tenant, "--name", "Team T")).ExitCode);

        var created = await registry.RunAsync("keys", "create", "--tenant", tenant, "--role", "deployer", "--description", "ci");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("not shown again", created.Out);
        var key = KeyFrom(created.Out);

        var whoami = await registry.RunWithKeyAsync(key, "whoami");

        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains(tenant, whoami.Out);
        Assert.Contains("deployer", whoami.Out);
        Assert.DoesNotContain(key, whoami.Out);

        var listed = await registry.RunAsync("keys", "list", "--tenant", tenant);
        Assert.Contains("ci", listed.Out);
        Assert.DoesNotContain(key, listed.Out);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_exit_1()
    {
        var created = JsonSerializer.Deserialize<ApiKeyCreated>((await registry.RunAsync("keys", "create", "--role", "viewer", "--json")).Out, Json)!;

        Assert.Equal(0, (await registry.RunAsync("keys", "revoke", created.KeyId)).ExitCode);
        var refused = await registry.RunWithKeyAsync(created.Key, "models", "list");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Unauthorized", refused.Error);
        Assert.DoesNotContain(created.Key, refused.Error);
    }

    [Fact]
    public async Task A_viewer_key_cannot_promote_and_is_told_why()
    {
        var name = await PushTwoVersionsAsync();
        var viewer = JsonSerializer.Deserialize<ApiKeyCreated>((await registry.RunAsync("keys", "create", "--role", "viewer", "--json")).Out, Json)!;

        var run = await registry.RunWithKeyAsync(viewer.Key, "promote", name);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Forbidden", run.Error);
        Assert.Contains("role", run.Error);
    }

    [Fact]
    public async Task Tenants_list_shows_a_tenant_just_created()
    {
        var tenant = RegistryUnderTest.UniqueName("t");
        await registry.RunAsync("tenants", "create", tenant, "--name", "Fraud team");

        var run = await registry.RunAsync("tenants", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Fraud team", run.Out);
        Assert.Contains("admin", run.Out);
    }

    [Fact]
    public async Task A_weight_over_100_exits_1_naming_the_field()
    {
        var name = await PushTwoVersionsAsync();

        var run = await registry.RunAsync("deploy", name, "--stable", "1", "--candidate", "2", "--weight", "150");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("field: candidateWeight", run.Error);
        Assert.Contains("from 0 to 100", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_version_that_does_not_exist_cannot_be_deployed()
    {
        var name = await PushTwoVersionsAsync();

        var run = await registry.RunAsync("deploy", name, "--stable", "9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("9", run.Error);
    }

    [Fact]
    public async Task Retiring_a_version_shows_it_retired()
    {
        var name = await PushTwoVersionsAsync();

        var run = await registry.RunAsync("models", "retire", name, "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("retired", run.Out);
        Assert.Equal("retired", (await ShowAsync(name)).Versions.Single(v => v.Version == 1).Status);
    }

    [Fact]
    public async Task Show_of_an_unknown_model_exits_1_with_the_registry_problem()
    {
        var run = await registry.RunAsync("models", "show", "no-such-model");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Not found", run.Error);
        Assert.Contains("no-such-model", run.Error);
    }

    [Fact]
    public async Task A_missing_file_exits_2_before_anything_is_sent()
    {
        var before = registry.ClientsCreated;

        var run = await registry.RunAsync("models", "push", "m", "/no/such/model.onnx");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("FILE '/no/such/model.onnx' does not exist", run.Error);
        Assert.Equal(before, registry.ClientsCreated);
    }

    [Fact]
    public async Task Metadata_that_is_not_json_exits_2_naming_the_option()
    {
        var metadata = WriteMetadata("{ not json");

        var run = await registry.RunAsync("models", "push", "m", RegistryUnderTest.AddModel, "--metadata", metadata);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--metadata", run.Error);
        Assert.Contains("not valid JSON", run.Error);
    }

    [Fact]
    public async Task A_weight_that_is_not_a_number_is_bad_usage()
    {
        var run = await registry.RunAsync("deploy", "m", "--stable", "1", "--weight", "lots");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--weight", run.Error);
    }

    [Fact]
    public async Task Json_prints_the_registry_answer_for_scripts()
    {
        var name = await PushTwoVersionsAsync();

        var run = await registry.RunAsync("deploy", name, "--stable", "2", "--json");

        var deployment = JsonSerializer.Deserialize<DeploymentView>(run.Out, Json)!;
        Assert.Equal(name, deployment.Model);
        Assert.Equal(2, deployment.StableVersion);
    }

    [Fact]
    public async Task Nothing_listening_exits_1_and_says_how_to_start_the_registry()
    {
        var url = $"http://127.0.0.1:{Orbit.Testing.FreePort.Next()}";

        var run = await CliOutput.RunAsync(null, "whoami", "--url", url, "--key", RegistryUnderTest.AdminKey);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot reach the registry at {url}/ (is it running? ./orbit up)", run.Error);
        Assert.DoesNotContain(RegistryUnderTest.AdminKey, run.Error);
    }

    private async Task<string> PushTwoVersionsAsync(string? datasetVersion = null)
    {
        var name = RegistryUnderTest.UniqueName();
        string[] metadata = datasetVersion is null ? [] : ["--metadata", WriteMetadata($$"""{"datasetVersion": "{{datasetVersion}}"}""")];
        foreach (var model in new[] { RegistryUnderTest.AddModel, RegistryUnderTest.ReluModel })
        {
            var run = await registry.RunAsync(["models", "push", name, model, .. metadata]);
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        return name;
    }

    private async Task<DeploymentView> DeploymentAsync(params string[] args)
    {
        var run = await registry.RunAsync([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<DeploymentView>(run.Out, Json)!;
    }

    private async Task<(ModelView Model, IReadOnlyList<VersionView> Versions)> ShowAsync(string name)
    {
        var run = await registry.RunAsync("models", "show", name, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Out);
        return (document.RootElement.GetProperty("model").Deserialize<ModelView>(Json)!,
            document.RootElement.GetProperty("versions").Deserialize<List<VersionView>>(Json)!);
    }

    private string WriteMetadata(string json)
    {
        var path = Path.Combine(registry.DataDirectory, $"metadata-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The cells of a table row: Spectre draws columns with '│'.</summary>
    private static string[] Cells(string row) =>
        row.Split('│', StringSplitOptions.TrimEntries).Where(cell => cell.Length > 0).ToArray();

    private static string KeyFrom(string output) =>
        output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("key ", StringComparison.Ordinal))["key ".Length..].Trim();
}
