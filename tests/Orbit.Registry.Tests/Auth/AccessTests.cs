using System.Net;
using System.Text;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Auth;

public abstract class AccessTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task Without_a_key_every_API_call_is_401_but_health_answers()
    {
        using var anonymous = registry.Host.Client(key: null);

        using var models = await anonymous.Http.GetAsync("/v1/models");
        using var openApi = await anonymous.Http.GetAsync("/openapi/v1.json");
        using var live = await anonymous.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
        Assert.Equal("application/problem+json", models.Content.Headers.ContentType?.MediaType);
        Assert.Contains("An API key is required", await models.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, openApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_401_through_either_header()
    {
        using var bearer = registry.Host.Client("orb_not-a-real-key-at-all");
        using var raw = registry.Host.RawClient();
        raw.DefaultRequestHeaders.Add("X-Api-Key", "orb_not-a-real-key-at-all");

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.Http.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await raw.GetAsync("/v1/models")).StatusCode);
    }

    [Theory]
    [InlineData("viewer", true, false, false, false)]
    [InlineData("predictor", true, false, false, false)]
    [InlineData("deployer", true, true, true, false)]
    [InlineData("admin", true, true, true, true)]
    public async Task Each_role_may_do_what_it_should_and_nothing_more(string role, bool read, bool push, bool deploy, bool manageKeys)
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        await _admin.CreateTenantAsync(tenant);
        var tenantAdmin = registry.Host.Client((await _admin.CreateKeyAsync("admin", tenant)).Key);
        var model = TestModels.UniqueName();
        await tenantAdmin.PushAsync(model, TestModels.Add);
        using var client = registry.Host.Client((await tenantAdmin.CreateKeyAsync(role)).Key);
        var auditBefore = (await tenantAdmin.AuditAsync()).Count;

        var readStatus = (await client.Http.GetAsync($"/v1/models/{model}")).StatusCode;
        var pushStatus = (await client.UploadAsync(model, TestModels.Relu)).StatusCode;
        var deployStatus = (await client.Http.PutAsync($"/v1/models/{model}/deployment", Json("""{"stableVersion":1}"""))).StatusCode;
        var keyStatus = (await client.Http.PostAsync("/v1/keys", Json("""{"role":"viewer"}"""))).StatusCode;

        Assert.Equal(read ? HttpStatusCode.OK : HttpStatusCode.Forbidden, readStatus);
        Assert.Equal(push ? HttpStatusCode.Created : HttpStatusCode.Forbidden, pushStatus);
        Assert.Equal(deploy ? HttpStatusCode.OK : HttpStatusCode.Forbidden, deployStatus);
        Assert.Equal(manageKeys ? HttpStatusCode.Created : HttpStatusCode.Forbidden, keyStatus);
        if (!push)
        {
            var refusal = await (await client.UploadAsync(model, TestModels.Relu)).Content.ReadAsStringAsync();
            Assert.Contains($"has role '{role}'; this call needs 'deployer'", refusal);
        }

        // One audit row per mutation that was allowed, none for a refused one.
        var allowed = new[] { push, deploy, manageKeys }.Count(x => x);
        Assert.Equal(auditBefore + allowed, (await tenantAdmin.AuditAsync()).Count);
    }

    [Fact]
    public async Task Another_tenants_model_version_deployment_and_artifact_are_404()
    {
        var (alice, bob) = (await TenantAsync(), await TenantAsync());
        var model = TestModels.UniqueName();
        var version = await alice.PushAsync(model, TestModels.Read("test_abs"));
        await alice.DeployAsync(model, 1);

        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/v1/models/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/v1/models/{model}/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/v1/models/{model}/versions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/v1/models/{model}/deployment")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.PostAsync($"/v1/models/{model}/deployment/rollback", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/v1/artifacts/{version.Digest}")).StatusCode);
        Assert.DoesNotContain(model, await bob.Http.GetStringAsync("/v1/models"));
        Assert.DoesNotContain(model, await bob.Http.GetStringAsync("/v1/audit"));
    }

    [Fact]
    public async Task The_platform_tenant_reads_any_tenants_version_with_its_metadata_and_other_tenants_get_404()
    {
        var aliceTenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        await _admin.CreateTenantAsync(aliceTenant);
        var alice = registry.Host.Client((await _admin.CreateKeyAsync("admin", aliceTenant)).Key);
        var bob = await TenantAsync();
        var model = TestModels.UniqueName();
        await alice.PushAsync(model, TestModels.Add, """{"classes":["no","yes"]}""");
        using var platformViewer = registry.Host.Client((await _admin.CreateKeyAsync("viewer")).Key);

        var byPlatform = await platformViewer.Http.GetStringAsync($"/v1/tenants/{aliceTenant}/models/{model}/versions/1");
        var bySelf = await alice.Http.GetAsync($"/v1/tenants/{aliceTenant}/models/{model}/versions/1");
        var byOther = await bob.Http.GetAsync($"/v1/tenants/{aliceTenant}/models/{model}/versions/1");
        var missing = await platformViewer.Http.GetAsync($"/v1/tenants/{aliceTenant}/models/{model}/versions/2");

        Assert.Contains("\"classes\":[\"no\",\"yes\"]", byPlatform);
        Assert.Equal(HttpStatusCode.OK, bySelf.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_same_model_name_in_two_tenants_is_two_models()
    {
        var (alice, bob) = (await TenantAsync(), await TenantAsync());
        var model = TestModels.UniqueName();

        var a = await alice.PushAsync(model, TestModels.Add);
        var b = await bob.PushAsync(model, TestModels.Relu);

        Assert.Equal(1, a.Version);
        Assert.Equal(1, b.Version);
        Assert.NotEqual(a.Digest, b.Digest);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_within_seconds()
    {
        var created = await _admin.CreateKeyAsync("viewer");
        using var client = registry.Host.Client(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/v1/auth/whoami")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Http.DeleteAsync($"/v1/keys/{created.KeyId}")).StatusCode);

        await Orbit.Testing.Eventually.GetAsync(
            async () => (await client.Http.GetAsync("/v1/auth/whoami")).StatusCode == HttpStatusCode.Unauthorized ? "revoked" : null,
            TimeSpan.FromSeconds(15), "the revoked key to be refused");
    }

    [Fact]
    public async Task A_created_key_is_shown_once_and_stored_only_as_a_hash()
    {
        var created = await _admin.CreateKeyAsync("deployer");

        var listed = await _admin.Http.GetStringAsync("/v1/keys?limit=500");
        var audit = await _admin.Http.GetStringAsync("/v1/audit?limit=500");
        var whoami = await registry.Host.Client(created.Key).Http.GetStringAsync("/v1/auth/whoami");

        Assert.Contains(created.KeyId, listed);
        Assert.DoesNotContain(created.Key, listed);
        Assert.DoesNotContain(created.Key, audit);
        Assert.Contains("\"role\":\"deployer\"", whoami);
        Assert.False(ContainsBytes(registry.Store, created.Key), "the key's text is somewhere in the data directory");
    }

    [Fact]
    public async Task Only_the_platform_admin_creates_tenants_and_keys_for_other_tenants()
    {
        var tenant = await TenantAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Http.PostAsync("/v1/tenants", Json("""{"id":"sneaky"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Http.PostAsync("/v1/keys", Json("""{"role":"admin","tenantId":"admin"}"""))).StatusCode);
    }

    [Theory]
    [InlineData("""{"role":"superuser"}""", "role")]
    [InlineData("""{"role":"1"}""", "role")]
    [InlineData("""{"role":5}""", "role")]
    public async Task A_bad_key_request_names_the_field(string body, string field)
    {
        using var response = await _admin.Http.PostAsync("/v1/keys", Json(body));

        var problem = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal(field, problem.Field);
    }

    private async Task<RegistryClient> TenantAsync()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        await _admin.CreateTenantAsync(tenant);
        return registry.Host.Client((await _admin.CreateKeyAsync("admin", tenant)).Key);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static bool ContainsBytes(TestStore store, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Directory.GetFiles(store.DataDirectory, "*", SearchOption.AllDirectories)
            .Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);
    }
}

public sealed class AccessOnSqlite(SqliteRegistry registry) : AccessTests(registry), IClassFixture<SqliteRegistry>;

public sealed class AccessOnPostgres(PostgresRegistry registry) : AccessTests(registry), IClassFixture<PostgresRegistry>;
