using Orbit.EndToEnd.Tests.Platform;
using Orbit.Testing;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary><c>./orbit up --workers 2</c>, shared by a class's tests; each test pushes and deploys models of its own.</summary>
public sealed class InferencePlatform : IAsyncLifetime
{
    public Platform.Platform Platform { get; private set; } = null!;

    public string Models { get; } = Directory.CreateTempSubdirectory("orbit-e2e-models-").FullName;

    public async Task InitializeAsync()
    {
        Platform = await Orbit.EndToEnd.Tests.Platform.Platform.CreateAsync();
        await Platform.OrbitOkAsync("up --workers 2");
    }

    /// <summary>Pushes the given models as versions 1, 2, … of a new model, deploys it, and waits until every worker has each version loaded.</summary>
    /// <param name="metadata">The metadata file every version is pushed with (features, baseline), if any.</param>
    public async Task<string> DeployAsync(int[] seeds, string deploy, string? metadata = null)
    {
        var model = "mlp-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var seed in seeds)
        {
            await Platform.OrbitOkAsync($"models push {model} {Mlp.Write(Models, seed)}{(metadata is null ? "" : " --metadata " + metadata)}");
        }

        await Platform.OrbitOkAsync($"deploy {model} {deploy}");
        await WaitServedAsync(model, seeds.Length);
        return model;
    }

    /// <summary>Pushes one model file as version 1 of a new model named after <paramref name="prefix"/>, deploys it, and waits until every worker has it loaded.</summary>
    public async Task<string> DeployFileAsync(string path, string prefix)
    {
        var model = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        await Platform.OrbitOkAsync($"models push {model} {path}");
        await Platform.OrbitOkAsync($"deploy {model} --stable 1");
        await WaitServedAsync(model, 1);
        return model;
    }

    private async Task WaitServedAsync(string model, int versions)
    {
        using var client = new OipClient(Platform.Gateway, Platform.AdminKey);
        await Eventually.GetAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workers");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Platform.AdminKey);
            using var response = await client.Http.SendAsync(request);
            var workers = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
            var loaded = workers.EnumerateArray().Select(w => w.GetProperty("loadedModels").EnumerateArray()
                .Where(m => m.GetProperty("modelName").GetString() == model)
                .Select(m => m.GetProperty("version").GetInt32()).ToHashSet()).ToList();
            return loaded.Count > 0 && loaded.All(loadedVersions => loadedVersions.SetEquals(Enumerable.Range(1, versions))) ? "warm" : null;
        }, TimeSpan.FromSeconds(60), $"every worker to load every version of {model}");
        for (var version = 1; version <= versions; version++)
        {
            var v = version;
            await Eventually.GetAsync(async () => await client.ReadyAsync(model, v) ? "ready" : null,
                TimeSpan.FromSeconds(30), $"the gateway to see {model} version {v} served");
        }
    }

    public async Task DisposeAsync()
    {
        // The last test's output helper is gone by now: writing to it would throw.
        Platform.Output = null;
        await Platform.DisposeAsync();
        Directory.Delete(Models, recursive: true);
    }
}
