using System.Net;
using System.Text;
using System.Text.Json;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Registry.Tests.Deployments;

public abstract class DeploymentTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task A_deployment_change_reaches_Redis_and_the_bus()
    {
        var model = TestModels.UniqueName();
        var v1 = await _admin.PushAsync(model, TestModels.Add);
        var v2 = await _admin.PushAsync(model, TestModels.Relu);
        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var queue = await rabbit.ListenAsync("Orbit.Contracts.Models:DeploymentChanged");

        var view = await _admin.DeployAsync(model, stable: 1, candidate: 2, weight: 10);

        Assert.Equal([(1, 90, v1.Digest), (2, 10, v2.Digest)], view.Routes.Select(r => (r.Version, r.Weight, r.Digest)));
        var publishedJson = await Eventually.GetAsync(async () =>
        {
            var message = await rabbit.GetAsync(queue);
            var text = message is null ? null : Encoding.UTF8.GetString(message.Body.Span);
            return text is not null && text.Contains(model, StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "DeploymentChanged on the bus");
        var published = JsonDocument.Parse(publishedJson).RootElement;
        Assert.Equal(view.Revision, published.GetProperty("revision").GetInt64());
        Assert.Equal(10, published.GetProperty("candidateWeight").GetInt32());

        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var tableJson = await Eventually.GetAsync(async () =>
        {
            var json = await redis.GetDatabase().HashGetAsync($"orbit:routes:admin:{model}", "table");
            return json.IsNullOrEmpty ? null : json.ToString();
        }, TimeSpan.FromSeconds(10), "the routing table in Redis");
        var table = JsonDocument.Parse(tableJson).RootElement;
        Assert.Equal(view.Revision, table.GetProperty("revision").GetInt64());
        Assert.Equal(2, table.GetProperty("routes").GetArrayLength());
    }

    [Fact]
    public async Task Promote_makes_the_candidate_stable_and_rollback_restores_the_previous_stable()
    {
        var model = TestModels.UniqueName();
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);
        await _admin.DeployAsync(model, stable: 1, candidate: 2, weight: 25);

        var promoted = await PostAsync($"/v1/models/{model}/deployment/promote");
        var rolledBack = await PostAsync($"/v1/models/{model}/deployment/rollback");
        using var again = await _admin.Http.PostAsync($"/v1/models/{model}/deployment/rollback", null);

        Assert.Equal((2, (int?)null, 1), (promoted.GetProperty("stableVersion").GetInt32(), NullableInt(promoted, "candidateVersion"), promoted.GetProperty("previousStableVersion").GetInt32()));
        Assert.Equal(1, rolledBack.GetProperty("stableVersion").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var history = await _admin.Http.GetStringAsync($"/v1/models/{model}/deployment/history");
        Assert.Equal(["rolled-back", "promoted", "set"], JsonDocument.Parse(history).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Rolling_back_a_canary_drops_the_candidate()
    {
        var model = TestModels.UniqueName();
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);
        await _admin.DeployAsync(model, stable: 1, candidate: 2, weight: 50);

        var rolledBack = await PostAsync($"/v1/models/{model}/deployment/rollback");

        Assert.Equal(1, rolledBack.GetProperty("stableVersion").GetInt32());
        Assert.Null(NullableInt(rolledBack, "candidateVersion"));
        Assert.Equal(1, rolledBack.GetProperty("routes").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"stableVersion":1,"candidateVersion":2,"candidateWeight":101}""", "candidateWeight")]
    [InlineData("""{"stableVersion":1,"candidateWeight":10}""", "candidateWeight")]
    [InlineData("""{"stableVersion":1,"candidateVersion":1,"candidateWeight":10}""", "candidateVersion")]
    [InlineData("""{"stableVersion":9}""", "stableVersion")]
    [InlineData("""{"stableVersion":0}""", "stableVersion")]
    [InlineData("""{"stableVersion":1,"strategy":"yolo"}""", "strategy")]
    [InlineData("""{"stableVersion":"one"}""", "stableVersion")]
    public async Task A_bad_deployment_is_400_naming_the_field_and_changes_nothing(string body, string expectedField)
    {
        var model = TestModels.UniqueName();
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);

        using var response = await _admin.Http.PutAsync($"/v1/models/{model}/deployment", new StringContent(body, Encoding.UTF8, "application/json"));

        var (status, field, text) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal(expectedField, field);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.Http.GetAsync($"/v1/models/{model}/deployment")).StatusCode);
        Assert.DoesNotContain((await _admin.AuditAsync(model)), e => e.Action.StartsWith("deployment.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploying_an_unknown_model_is_404()
    {
        using var response = await _admin.Http.PutAsync($"/v1/models/{TestModels.UniqueName()}/deployment",
            new StringContent("""{"stableVersion":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<JsonElement> PostAsync(string path)
    {
        using var response = await _admin.Http.PostAsync(path, null);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static int? NullableInt(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetInt32();
}

public sealed class DeploymentOnSqlite(SqliteRegistry registry) : DeploymentTests(registry), IClassFixture<SqliteRegistry>;

public sealed class DeploymentOnPostgres(PostgresRegistry registry) : DeploymentTests(registry), IClassFixture<PostgresRegistry>;
