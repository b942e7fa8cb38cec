using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Auth;

/// <summary>Reads across tenants: the platform tenant's keys name any tenant with <c>?tenant=</c>; other keys find nothing there.</summary>
public abstract class PlatformReadsTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task A_platform_key_lists_every_tenants_models_each_with_its_tenant_and_narrows_to_one()
    {
        var (alice, aliceId) = await TenantAsync();
        var (bob, bobId) = await TenantAsync();
        var (aliceModel, bobModel) = (TestModels.UniqueName(), TestModels.UniqueName());
        await alice.PushAsync(aliceModel, TestModels.Add);
        await bob.PushAsync(bobModel, TestModels.Relu);
        await bob.PushAsync(bobModel, TestModels.Add);
        using var platformViewer = registry.Host.Client((await _admin.CreateKeyAsync("viewer")).Key);

        var all = await ListAllAsync(platformViewer, "/v1/models?limit=1");
        var onlyAlice = await ListAllAsync(platformViewer, $"/v1/models?limit=1&tenant={aliceId}");
        var bobsOwn = await ListAllAsync(bob, "/v1/models");

        Assert.Equal(aliceId, all.Single(m => m.Name == aliceModel).Tenant);
        Assert.Equal((bobId, 2), all.Where(m => m.Name == bobModel).Select(m => (m.Tenant, m.VersionCount)).Single());
        // Paged one at a time across tenants, each model comes once (the order is the database's collation).
        Assert.Equal(all.Count, all.Select(m => (m.Tenant, m.Name)).Distinct().Count());
        Assert.Equal([(aliceId, aliceModel)], onlyAlice.Select(m => (m.Tenant, m.Name)));
        Assert.Equal([(bobId, bobModel)], bobsOwn.Select(m => (m.Tenant, m.Name)));
    }

    [Fact]
    public async Task A_platform_key_reads_another_tenants_model_versions_deployment_rollout_and_experiment_with_tenant()
    {
        var (alice, aliceId) = await TenantAsync();
        var (rolling, testing) = (await TwoVersionsDeployedAsync(alice), await TwoVersionsDeployedAsync(alice));
        await ExpectCreatedAsync(await alice.Http.PostAsJsonAsync($"/v1/models/{rolling}/rollout",
            new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 3600), RegistryClient.Json));
        var experiment = await (await ExpectCreatedAsync(await alice.Http.PostAsJsonAsync($"/v1/models/{testing}/experiments",
            new StartExperiment([new(1, 50), new(2, 50)], DurationSeconds: 3600), RegistryClient.Json))).Content.ReadFromJsonAsync<ExperimentView>(RegistryClient.Json);
        using var platform = registry.Host.Client((await _admin.CreateKeyAsync("viewer")).Key);
        var of = "?tenant=" + aliceId;

        var model = await platform.Http.GetFromJsonAsync<ModelView>($"/v1/models/{rolling}{of}", RegistryClient.Json);
        var versions = await platform.Http.GetFromJsonAsync<Page<VersionView>>($"/v1/models/{rolling}/versions{of}", RegistryClient.Json);
        var version = await platform.Http.GetFromJsonAsync<VersionView>($"/v1/models/{rolling}/versions/2{of}", RegistryClient.Json);
        var deployment = await platform.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{rolling}/deployment{of}", RegistryClient.Json);
        var history = await platform.Http.GetFromJsonAsync<Page<DeploymentHistoryEntry>>($"/v1/models/{rolling}/deployment/history{of}", RegistryClient.Json);
        var rollout = await platform.Http.GetFromJsonAsync<RolloutView>($"/v1/models/{rolling}/rollout{of}", RegistryClient.Json);
        var read = await platform.Http.GetFromJsonAsync<ExperimentView>($"/v1/models/{testing}/experiments/{experiment!.Id}{of}", RegistryClient.Json);
        var withoutTenant = await platform.Http.GetAsync($"/v1/models/{rolling}");

        Assert.Equal((rolling, aliceId, 2), (model!.Name, model.Tenant, model.VersionCount));
        Assert.Equal([1, 2], versions!.Items.Select(v => v.Version));
        Assert.Equal(2, version!.Version);
        Assert.Equal((1, 2), (deployment!.StableVersion, deployment.CandidateVersion));
        Assert.NotEmpty(history!.Items);
        Assert.Equal((2, "running"), (rollout!.CandidateVersion, rollout.State));
        Assert.Equal(experiment.Id, read!.Id);
        Assert.Equal(HttpStatusCode.NotFound, withoutTenant.StatusCode);
    }

    [Fact]
    public async Task A_tenant_key_naming_another_tenant_gets_404_whether_or_not_the_model_is_there()
    {
        var (alice, aliceId) = await TenantAsync();
        var (bob, bobId) = await TenantAsync();
        var model = await TwoVersionsDeployedAsync(alice);
        await bob.PushAsync(model, TestModels.Relu);
        var of = "?tenant=" + aliceId;

        foreach (var path in new[] { "", "/versions", "/versions/1", "/deployment", "/deployment/history", "/rollout", "/rollout-policy", "/experiments/x" })
        {
            using var existing = await bob.Http.GetAsync($"/v1/models/{model}{path}{of}");
            using var missing = await bob.Http.GetAsync($"/v1/models/no-such-{model}{path}{of}");
            Assert.True(existing.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)existing.StatusCode}");
            Assert.Equal(await DetailAsync(missing), (await DetailAsync(existing)).Replace(model, "no-such-" + model, StringComparison.Ordinal));
        }

        using var listing = await bob.Http.GetAsync($"/v1/models{of}");
        Assert.Equal(HttpStatusCode.NotFound, listing.StatusCode);
        Assert.DoesNotContain(model, await listing.Content.ReadAsStringAsync());
        // Its own tenant, named or not, is what it always read.
        Assert.Equal(HttpStatusCode.OK, (await bob.Http.GetAsync($"/v1/models/{model}?tenant={bobId}")).StatusCode);
        Assert.Equal(bobId, (await bob.Http.GetFromJsonAsync<ModelView>($"/v1/models/{model}", RegistryClient.Json))!.Tenant);
    }

    [Fact]
    public async Task Changes_naming_another_tenant_are_refused_and_change_nothing()
    {
        var (alice, aliceId) = await TenantAsync();
        var model = await TwoVersionsDeployedAsync(alice);
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);
        await _admin.DeployAsync(model, 1, 2, 10);
        var of = "?tenant=" + aliceId;

        using var rollback = await _admin.Http.PostAsync($"/v1/models/{model}/deployment/rollback{of}", null);
        using var set = await _admin.Http.PutAsJsonAsync($"/v1/models/{model}/deployment{of}", new SetDeployment(2), RegistryClient.Json);
        using var retire = await _admin.Http.PostAsync($"/v1/models/{model}/versions/1/retire{of}", null);

        foreach (var refused in new[] { rollback, set, retire })
        {
            var (status, field, _) = await RegistryClient.ProblemAsync(refused);
            Assert.Equal((HttpStatusCode.BadRequest, "tenant"), (status, field));
        }

        var alices = await alice.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment", RegistryClient.Json);
        var admins = await _admin.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment", RegistryClient.Json);
        Assert.Equal((1, (int?)null, 0), (alices!.StableVersion, alices.CandidateVersion, alices.CandidateWeight));
        Assert.Equal((1, (int?)2, 10), (admins!.StableVersion, admins.CandidateVersion, admins.CandidateWeight));
    }

    [Fact]
    public async Task A_listing_cursor_of_one_kind_is_refused_by_the_other()
    {
        var (alice, aliceId) = await TenantAsync();
        await alice.PushAsync(TestModels.UniqueName(), TestModels.Add);
        await alice.PushAsync(TestModels.UniqueName(), TestModels.Add);
        var all = await _admin.Http.GetFromJsonAsync<Page<ModelView>>("/v1/models?limit=1", RegistryClient.Json);
        var one = await _admin.Http.GetFromJsonAsync<Page<ModelView>>($"/v1/models?limit=1&tenant={aliceId}", RegistryClient.Json);

        using var mixed = await _admin.Http.GetAsync($"/v1/models?tenant={aliceId}&cursor={all!.NextCursor}");
        using var mixedBack = await _admin.Http.GetAsync($"/v1/models?cursor={one!.NextCursor}");

        var (status, field, _) = await RegistryClient.ProblemAsync(mixed);
        var (statusBack, fieldBack, _) = await RegistryClient.ProblemAsync(mixedBack);
        Assert.Equal((HttpStatusCode.BadRequest, "cursor"), (status, field));
        Assert.Equal((HttpStatusCode.BadRequest, "cursor"), (statusBack, fieldBack));
    }

    private async Task<(RegistryClient Client, string Tenant)> TenantAsync()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        await _admin.CreateTenantAsync(tenant);
        return (registry.Host.Client((await _admin.CreateKeyAsync("admin", tenant)).Key), tenant);
    }

    private static async Task<string> TwoVersionsDeployedAsync(RegistryClient client)
    {
        var model = TestModels.UniqueName();
        await client.PushAsync(model, TestModels.Add);
        await client.PushAsync(model, TestModels.Add);
        await client.DeployAsync(model, 1);
        return model;
    }

    private static async Task<List<ModelView>> ListAllAsync(RegistryClient client, string path)
    {
        var items = new List<ModelView>();
        string? cursor = null;
        do
        {
            var page = await client.Http.GetFromJsonAsync<Page<ModelView>>(path + (cursor is null ? "" : (path.Contains('?') ? "&" : "?") + "cursor=" + cursor), RegistryClient.Json);
            items.AddRange(page!.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return items;
    }

    private static async Task<HttpResponseMessage> ExpectCreatedAsync(HttpResponseMessage response)
    {
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
        return response;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
}

public sealed class PlatformReadsOnSqlite(SqliteRegistry registry) : PlatformReadsTests(registry), IClassFixture<SqliteRegistry>;

public sealed class PlatformReadsOnPostgres(PostgresRegistry registry) : PlatformReadsTests(registry), IClassFixture<PostgresRegistry>;
