using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Gateway.Tests.Support;
using Orbit.Hosting.Streams;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Gateway.Tests.Outcomes;

public sealed class OutcomeEndpointTests(GatewayStack stack) : IClassFixture<GatewayStack>, IAsyncLifetime
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    private readonly string _stream = $"test.outcomes.{Guid.NewGuid():N}";
    private WebApplicationFactory<Program> _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = stack.AnotherGateway(new Dictionary<string, string?> { ["Orbit:Gateway:Outcomes:Stream"] = _stream });
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Posted_outcomes_of_the_callers_model_are_appended_to_the_outcomes_stream_with_its_tenant()
    {
        var (client, tenant) = await TenantClientAsync("predictor", pushWith: "deployer");
        var model = await PushedModelAsync(tenant);

        using var single = await client.PostAsync("/v1/outcomes", Json($$"""{"requestId":"r-1","model":"{{model}}","label":"leave"}"""));
        using var many = await client.PostAsync("/v1/outcomes", Json($$"""[{"requestId":"r-2","model":"{{model}}","row":1,"value":2.5,"observedAt":"2026-11-29T10:00:00Z"},{"requestId":"r-3","model":"{{model}}","label":"stay"}]"""));

        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, many.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await many.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted").GetInt32());
        var read = await ReadAsync(3);
        Assert.Equal(["r-1", "r-2", "r-3"], read.Select(o => o.RequestId).Order());
        Assert.All(read, o => Assert.Equal(tenant.Tenant, o.TenantId));
        var second = read.Single(o => o.RequestId == "r-2");
        Assert.Equal((1, 2.5, (string?)null), (second.Row, second.Value!.Value, second.Label));
    }

    [Fact]
    public async Task A_bad_outcome_is_400_naming_the_field_and_nothing_is_appended()
    {
        var (client, tenant) = await TenantClientAsync("predictor", pushWith: "deployer");
        var model = await PushedModelAsync(tenant);

        using var response = await client.PostAsync("/v1/outcomes", Json($$"""[{"requestId":"r-1","model":"{{model}}","label":"x"},{"requestId":"r-2","model":"{{model}}","label":"x","value":1}]"""));
        using var notJson = await client.PostAsync("/v1/outcomes", Json("{"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[1].label", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("body", JsonDocument.Parse(await notJson.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Empty(await ReadAsync(1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Another_tenants_model_and_an_unknown_one_are_404_and_no_key_is_401()
    {
        var (_, owner) = await TenantClientAsync("deployer");
        var model = await PushedModelAsync(owner);
        var (stranger, _) = await TenantClientAsync("predictor");
        using var anonymous = _gateway.CreateClient();

        using var other = await stranger.PostAsync("/v1/outcomes", Json($$"""{"requestId":"r","model":"{{model}}","label":"x"}"""));
        using var unknown = await stranger.PostAsync("/v1/outcomes", Json("""{"requestId":"r","model":"never-pushed","label":"x"}"""));
        using var unauthenticated = await anonymous.PostAsync("/v1/outcomes", Json($$"""{"requestId":"r","model":"{{model}}","label":"x"}"""));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Empty(await ReadAsync(1, TimeSpan.FromSeconds(2)));
    }

    private async Task<(HttpClient Client, (string Tenant, HttpClient Deployer) Tenant)> TenantClientAsync(string role, string? pushWith = null)
    {
        using var admin = stack.Client();
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new { id = tenant })).EnsureSuccessStatusCode();
        var deployer = Client((await CreateKeyAsync(admin, pushWith ?? role, tenant)));
        var client = pushWith is null ? deployer : Client(await CreateKeyAsync(admin, role, tenant));
        return (client, (tenant, deployer));
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin, string role, string tenant)
    {
        var created = await (await admin.PostAsJsonAsync("/v1/keys", new { role, tenantId = tenant })).Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("key").GetString()!;
    }

    private HttpClient Client(string key)
    {
        var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<string> PushedModelAsync((string Tenant, HttpClient Deployer) tenant)
    {
        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } };
        using var response = await tenant.Deployer.PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return model;
    }

    private async Task<List<OutcomeObserved>> ReadAsync(int count, TimeSpan? within = null)
    {
        var reader = _gateway.Services.GetRequiredService<IStreamReader>();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        var outcomes = new List<OutcomeObserved>();
        try
        {
            await foreach (var record in reader.ReadAsync<OutcomeObserved>(_stream, 0, timeout.Token))
            {
                outcomes.Add(record.Message!);
                if (outcomes.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (within is not null)
        {
            // Waited as long as asked: what was there is the answer.
        }

        return outcomes;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(_stream);
    }
}
