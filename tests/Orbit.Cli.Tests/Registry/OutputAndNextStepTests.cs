using System.Text.Json;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Tests.Registry;

/// <summary><c>--output json|table</c> on every registry command, and the <c>next:</c> line under every error.</summary>
public sealed class OutputAndNextStepTests(RegistryUnderTest registry) : IClassFixture<RegistryUnderTest>
{
    [Fact]
    public async Task Output_json_prints_what_json_prints_and_output_table_is_the_default()
    {
        var name = RegistryUnderTest.UniqueName();
        Assert.Equal(0, (await registry.RunAsync("models", "push", name, RegistryUnderTest.AddModel)).ExitCode);

        var json = await registry.RunAsync("models", "show", name, "--json");
        var output = await registry.RunAsync("models", "show", name, "--output", "json");
        var shortForm = await registry.RunAsync("models", "show", name, "-o", "json");
        var table = await registry.RunAsync("models", "show", name, "--output", "table");
        var plain = await registry.RunAsync("models", "show", name);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(json.Out, output.Out);
        Assert.Equal(json.Out, shortForm.Out);
        Assert.Equal(name, JsonDocument.Parse(output.Out).RootElement.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(plain.Out, table.Out);
        Assert.Contains("sha256:", table.Out);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(table.Out));
    }

    [Fact]
    public async Task An_unknown_output_or_json_with_output_table_is_bad_usage_that_names_the_help()
    {
        var xml = await registry.RunAsync("whoami", "--output", "xml");
        var both = await registry.RunAsync("whoami", "--json", "--output", "table");

        Assert.Equal(2, xml.ExitCode);
        Assert.Contains("xml", xml.Error);
        Assert.Contains("See: orbit whoami --help", xml.Error);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--json and --output table", both.Error);
        Assert.Contains("See: orbit whoami --help", both.Error);
    }

    [Fact]
    public async Task A_missing_model_names_the_list_command_and_a_refused_role_names_whoami()
    {
        var missing = await registry.RunAsync("models", "show", RegistryUnderTest.UniqueName("absent"));
        var name = RegistryUnderTest.UniqueName();
        Assert.Equal(0, (await registry.RunAsync("models", "push", name, RegistryUnderTest.AddModel)).ExitCode);
        var viewer = JsonSerializer.Deserialize<ApiKeyCreated>((await registry.RunAsync("keys", "create", "--role", "viewer", "--json")).Out, JsonSerializerOptions.Web)!;
        var refused = await registry.RunWithKeyAsync(viewer.Key, "promote", name);
        var noKey = await registry.RunWithKeyAsync("orbit-cli-tests-no-such-key-0000000000", "models", "list");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("[404]", missing.Error);
        Assert.EndsWith("next: orbit models list (the models this key's tenant has)", missing.Error.TrimEnd());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("[403]", refused.Error);
        Assert.Contains("next: orbit whoami (shows this key's role", refused.Error);
        Assert.Equal(1, noKey.ExitCode);
        Assert.Contains("[401]", noKey.Error);
        Assert.Contains("next: pass a valid key (--key, ORBIT_KEY or the config file", noKey.Error);
    }

    [Fact]
    public async Task A_conflict_on_a_model_names_the_command_that_shows_its_state()
    {
        var name = RegistryUnderTest.UniqueName();
        Assert.Equal(0, (await registry.RunAsync("models", "push", name, RegistryUnderTest.AddModel)).ExitCode);

        // Promote with nothing deployed: the registry refuses, and the next step shows the deployment.
        var run = await registry.RunAsync("promote", name);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"\[(409|404|400)\]", run.Error);
        Assert.Contains($"next: orbit ", run.Error);
        Assert.DoesNotContain("MODEL", run.Error);
    }

    [Fact]
    public async Task An_unreachable_registry_names_up_and_health()
    {
        var run = await CliOutput.RunAsync(null, "whoami", "--url", "http://127.0.0.1:1", "--key", RegistryUnderTest.AdminKey);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach the registry", run.Error);
        Assert.Contains("next: ./orbit up, or orbit health", run.Error);
    }
}
