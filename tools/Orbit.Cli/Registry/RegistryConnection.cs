using System.Text.Json;

namespace Orbit.Cli.Registry;

/// <summary>
/// Where the registry is and which API key to present. Each of the two is resolved on its own:
/// the flag, then <c>ORBIT_URL</c>/<c>ORBIT_KEY</c>, then the config file
/// (<c>$XDG_CONFIG_HOME/orbit/config.json</c>, else <c>~/.config/orbit/config.json</c>), then the
/// defaults of a local <c>./orbit up</c>: the registry port and the admin key file it writes.
/// </summary>
internal sealed record RegistryConnection(Uri Url, string? Key, string UrlSource, string KeySource)
{
    public const string UrlVariable = "ORBIT_URL";
    public const string KeyVariable = "ORBIT_KEY";

    public static string HowToProvideKey(string configPath) =>
        "no API key: pass --key KEY, set ORBIT_KEY, put {\"key\": \"...\"} in " + configPath +
        ", or start the platform with ./orbit up (it writes the admin key to $ORBIT_RUN_DIR/admin.key)";

    /// <summary>Resolves from the process environment.</summary>
    public static Resolution Resolve(string? urlFlag, string? keyFlag) =>
        Resolve(urlFlag, keyFlag, Environment.GetEnvironmentVariable);

    /// <summary>Resolves with <paramref name="environment"/> standing in for the process environment (tests pass a dictionary).</summary>
    public static Resolution Resolve(string? urlFlag, string? keyFlag, Func<string, string?> environment)
    {
        var configPath = ConfigPath(environment);
        var (config, configError) = ReadConfig(configPath);
        if (configError is not null)
        {
            return new Resolution(null, configPath, configError);
        }

        var (url, urlSource) =
            Pick(urlFlag, "--url") ??
            Pick(environment(UrlVariable), UrlVariable) ??
            Pick(config?.Url, configPath) ??
            (DefaultUrl(environment), "default");
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return new Resolution(null, configPath, $"the registry URL '{url}' (from {urlSource}) is not an http:// or https:// URL");
        }

        var (key, keySource) =
            Pick(keyFlag, "--key") ??
            Pick(environment(KeyVariable), KeyVariable) ??
            Pick(config?.Key, configPath) ??
            RunDirectoryKey(environment) ??
            ((string?)null, "none");

        // A base address without a trailing slash would drop its last segment from relative paths.
        var baseUri = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return new Resolution(new RegistryConnection(baseUri, key?.Trim(), urlSource, keySource), configPath, null);
    }

    public static string ConfigPath(Func<string, string?> environment)
    {
        var xdg = environment("XDG_CONFIG_HOME");
        var configHome = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "orbit", "config.json");
    }

    private static string DefaultUrl(Func<string, string?> environment)
    {
        var basePort = int.TryParse(environment("ORBIT_BASE_PORT"), out var port) && port is > 0 and < 65535 ? port : 8080;
        // The gateway: it answers the registry's API too, by forwarding it.
        return $"http://127.0.0.1:{basePort}/";
    }

    /// <summary>
    /// The admin key a local <c>./orbit up</c> left: <c>$ORBIT_RUN_DIR/admin.key</c>, or where the
    /// registry writes it under its data directory (<c>$ORBIT_RUN_DIR/data/registry/admin.key</c>).
    /// </summary>
    private static (string?, string)? RunDirectoryKey(Func<string, string?> environment)
    {
        if (environment("ORBIT_RUN_DIR") is not { Length: > 0 } runDir)
        {
            return null;
        }

        foreach (var path in new[] { Path.Combine(runDir, "admin.key"), Path.Combine(runDir, "data", "registry", "admin.key") })
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } key)
            {
                return (key, path);
            }
        }

        return null;
    }

    private static (string, string)? Pick(string? value, string source) =>
        string.IsNullOrWhiteSpace(value) ? null : (value, source);

    private static (ConfigFile? Config, string? Error) ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        try
        {
            return (JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path), JsonSerializerOptions.Web), null);
        }
        catch (JsonException ex)
        {
            return (null, $"the config file {path} is not valid JSON ({ex.Message}); expected {{\"url\": \"...\", \"key\": \"...\"}}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"the config file {path} cannot be read: {ex.Message}");
        }
    }

    private sealed record ConfigFile(string? Url, string? Key);

    /// <summary>The connection, or why there is none (an unreadable config file, a malformed URL).</summary>
    internal sealed record Resolution(RegistryConnection? Connection, string ConfigPath, string? Error);
}
