using Orbit.Cli.Registry;

namespace Orbit.Cli.Tests.Registry;

public sealed class RegistryConnectionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orbit-cli-config-").FullName;
    private readonly Dictionary<string, string?> _environment = new();

    public RegistryConnectionTests()
    {
        _environment["HOME"] = Path.Combine(_root, "home");
        _environment["ORBIT_RUN_DIR"] = Path.Combine(_root, "run");
        Directory.CreateDirectory(Path.Combine(_root, "run"));
    }

    [Fact]
    public void A_flag_wins_over_the_environment_the_config_file_and_the_run_directory()
    {
        WriteConfig(Path.Combine(_root, "home", ".config"), """{"url": "http://from-file:1", "key": "file-key"}""");
        WriteRunDirectoryKey("run-dir-key");
        _environment["ORBIT_URL"] = "http://from-env:2";
        _environment["ORBIT_KEY"] = "env-key";

        var connection = Resolve("http://from-flag:3", "flag-key");

        Assert.Equal(("http://from-flag:3/", "flag-key"), (connection.Url.ToString(), connection.Key));
    }

    [Fact]
    public void The_environment_wins_over_the_config_file()
    {
        WriteConfig(Path.Combine(_root, "home", ".config"), """{"url": "http://from-file:1", "key": "file-key"}""");
        _environment["ORBIT_URL"] = "http://from-env:2";
        _environment["ORBIT_KEY"] = "env-key";

        var connection = Resolve();

        Assert.Equal(("http://from-env:2/", "env-key", "ORBIT_KEY"), (connection.Url.ToString(), connection.Key, connection.KeySource));
    }

    [Fact]
    public void The_config_file_wins_over_the_run_directory_key_and_the_default_url()
    {
        var path = WriteConfig(Path.Combine(_root, "home", ".config"), """{"url": "http://from-file:1/orbit", "key": "file-key"}""");
        WriteRunDirectoryKey("run-dir-key");

        var connection = Resolve();

        Assert.Equal(("http://from-file:1/orbit/", "file-key", path), (connection.Url.ToString(), connection.Key, connection.KeySource));
    }

    [Fact]
    public void The_config_file_is_read_from_XDG_CONFIG_HOME_when_it_is_set()
    {
        WriteConfig(Path.Combine(_root, "home", ".config"), """{"key": "home-key"}""");
        WriteConfig(Path.Combine(_root, "xdg"), """{"key": "xdg-key"}""");
        _environment["XDG_CONFIG_HOME"] = Path.Combine(_root, "xdg");

        Assert.Equal("xdg-key", Resolve().Key);
    }

    [Fact]
    public void Without_anything_else_the_url_is_the_local_registry_and_the_key_is_the_one_orbit_up_wrote()
    {
        WriteRunDirectoryKey("run-dir-key\n");
        _environment["ORBIT_BASE_PORT"] = "9000";

        var connection = Resolve();

        Assert.Equal(("http://127.0.0.1:9000/", "run-dir-key"), (connection.Url.ToString(), connection.Key));
    }

    [Fact]
    public void The_default_url_is_the_gateway_on_port_8080_when_no_base_port_is_set()
    {
        Assert.Equal("http://127.0.0.1:8080/", Resolve().Url.ToString());
    }

    [Fact]
    public void The_key_the_registry_writes_under_its_data_directory_is_found_too()
    {
        var path = Path.Combine(_root, "run", "data", "registry", "admin.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "data-dir-key");

        Assert.Equal("data-dir-key", Resolve().Key);
    }

    [Fact]
    public void With_no_key_anywhere_the_key_is_missing_and_the_advice_names_every_way_to_give_one()
    {
        var resolution = RegistryConnection.Resolve(null, null, Lookup);

        Assert.Null(resolution.Connection!.Key);
        var advice = RegistryConnection.HowToProvideKey(resolution.ConfigPath);
        Assert.Contains("--key", advice);
        Assert.Contains("ORBIT_KEY", advice);
        Assert.Contains(Path.Combine(_root, "home", ".config", "orbit", "config.json"), advice);
        Assert.Contains("./orbit up", advice);
    }

    [Fact]
    public void A_config_file_that_is_not_json_is_an_error_naming_the_file()
    {
        var path = WriteConfig(Path.Combine(_root, "home", ".config"), "url = http://x");

        var resolution = RegistryConnection.Resolve(null, null, Lookup);

        Assert.Null(resolution.Connection);
        Assert.Contains(path, resolution.Error);
    }

    [Fact]
    public void A_url_that_is_not_http_is_an_error_naming_where_it_came_from()
    {
        _environment["ORBIT_URL"] = "registry:8081";

        var resolution = RegistryConnection.Resolve(null, null, Lookup);

        Assert.Null(resolution.Connection);
        Assert.Contains("ORBIT_URL", resolution.Error);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private RegistryConnection Resolve(string? url = null, string? key = null)
    {
        var resolution = RegistryConnection.Resolve(url, key, Lookup);
        Assert.Null(resolution.Error);
        return resolution.Connection!;
    }

    private string? Lookup(string name) => _environment.GetValueOrDefault(name);

    private static string WriteConfig(string configHome, string json)
    {
        var path = Path.Combine(configHome, "orbit", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private void WriteRunDirectoryKey(string key) => File.WriteAllText(Path.Combine(_root, "run", "admin.key"), key);
}
