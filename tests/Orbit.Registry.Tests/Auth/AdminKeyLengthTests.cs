using Orbit.Registry.Tests.Support;
using Orbit.Testing;

namespace Orbit.Registry.Tests.Auth;

public sealed class AdminKeyLengthTests
{
    [Fact]
    public async Task An_admin_key_shorter_than_32_characters_is_refused_at_start_by_its_name_and_not_echoed()
    {
        // The registry's own process, not an in-process host: when an in-process host fails to start, which exception
        // reaches the test (the validation's, or the factory's ObjectDisposedException once the app's entry point has
        // ended) is a race, and a process also shows what a short key would put in the logs.
        const string shortKey = "only-thirty-one-characters-long";
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var settings = store.Settings();
        settings["Orbit:Registry:AdminKey"] = shortKey;
        settings["Urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!);

        var registry = Path.Combine(AppContext.BaseDirectory, "Orbit.Registry.dll");
        var (exitCode, output) = await Shell.RunAsync("dotnet", $"\"{registry}\"", AppContext.BaseDirectory, environment, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Orbit:Registry:AdminKey", output);
        Assert.Contains("ORBIT_ADMIN_KEY", output);
        Assert.Contains("32", output);
        Assert.DoesNotContain(shortKey, output);
    }

    [Fact]
    public async Task An_admin_key_of_32_characters_is_accepted()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var settings = store.Settings();
        settings["Orbit:Registry:AdminKey"] = new string('k', 32);
        await using var factory = new OrbitServiceFactory<Program>(settings);

        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", new string('k', 32));
        (await client.GetAsync("/v1/auth/whoami")).EnsureSuccessStatusCode();
    }
}
