using System.Net;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Audit;

public abstract class AuditQueryTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task Every_mutation_has_its_row_with_actor_before_and_after()
    {
        var model = TestModels.UniqueName();
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);
        await _admin.DeployAsync(model, 1);
        await _admin.DeployAsync(model, 1, 2, 5);
        await _admin.Http.PostAsync($"/v1/models/{model}/deployment/promote", null);

        var entries = await _admin.AuditAsync(model);

        Assert.Equal(["deployment.promoted", "deployment.set", "deployment.set", "version.registered", "version.registered"], entries.Select(e => e.Action));
        var promoted = entries[0];
        Assert.Equal("admin", promoted.ActorTenantId);
        Assert.Equal(1, promoted.Before!.Value.GetProperty("stableVersion").GetInt32());
        Assert.Equal(2, promoted.After!.Value.GetProperty("stableVersion").GetInt32());
        Assert.Null(entries[^1].Before);
    }

    [Fact]
    public async Task The_log_filters_by_actor_and_time_and_pages_without_gaps()
    {
        var deployer = await _admin.CreateKeyAsync("deployer");
        using var client = registry.Host.Client(deployer.Key);
        var model = TestModels.UniqueName();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 5; i++)
        {
            await client.PushAsync(model, TestModels.Add);
        }

        var byActor = await Page($"/v1/audit?actor=key:{deployer.KeyId}&limit=500");
        var collected = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await Page($"/v1/audit?model={model}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            collected.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        var inFuture = await Page($"/v1/audit?model={model}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        var inWindow = await Page($"/v1/audit?model={model}&from={Uri.EscapeDataString(start.ToString("O"))}");

        Assert.Equal(5, byActor.Items.Count);
        Assert.Equal(5, collected.Select(e => e.Id).Distinct().Count());
        Assert.Equal(collected.Select(e => e.Id).OrderDescending(), collected.Select(e => e.Id));
        Assert.Empty(inFuture.Items);
        Assert.Equal(5, inWindow.Items.Count);
    }

    [Theory]
    [InlineData("/v1/audit?limit=0", "limit")]
    [InlineData("/v1/audit?cursor=%%%", "cursor")]
    [InlineData("/v1/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task Bad_query_parameters_name_the_parameter(string path, string expectedField)
    {
        using var response = await _admin.Http.GetAsync(path);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expectedField, field);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API()
    {
        var document = JsonDocument.Parse(await _admin.Http.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/models/{name}/versions", paths);
        Assert.Contains("/v1/models/{name}/deployment", paths);
        Assert.Contains("/v1/audit", paths);
    }

    private async Task<Page<AuditEntry>> Page(string path) =>
        (await JsonSerializer.DeserializeAsync<Page<AuditEntry>>(await _admin.Http.GetStreamAsync(path), RegistryClient.Json))!;
}

public sealed class AuditQueryOnSqlite(SqliteRegistry registry) : AuditQueryTests(registry), IClassFixture<SqliteRegistry>;

public sealed class AuditQueryOnPostgres(PostgresRegistry registry) : AuditQueryTests(registry), IClassFixture<PostgresRegistry>;
