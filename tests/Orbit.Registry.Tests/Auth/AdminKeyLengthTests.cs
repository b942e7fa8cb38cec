using Orbit.Registry.Tests.Support;
using Orbit.Testing;

namespace Orbit.Registry.Tests.Auth;

public sealed class AdminKeyLengthTests
{
    [Fact]
    public async Task An_admin_key_shorter_than_32_characters_is_refused_at_start_by_its_name_and_not_echoed()
    {
        const string shortKey = "only-thirty-one-characters-long";
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var settings = store.Settings();
        settings["Orbit:Registry:AdminKey"] = shortKey;
        await using var factory = new OrbitServiceFactory<Program>(settings);

        var failure = Assert.ThrowsAny<Exception>(() => factory.Server).ToString();

        Assert.Contains("Orbit:Registry:AdminKey", failure);
        Assert.Contains("ORBIT_ADMIN_KEY", failure);
        Assert.Contains("32", failure);
        Assert.DoesNotContain(shortKey, failure);
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
