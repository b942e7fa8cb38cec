using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Fleet;

public sealed class TenantFleetTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_tenant_sees_only_its_own_models_and_nothing_of_the_shared_machines_while_the_operator_sees_all()
    {
        using var tenant = stack.Client(await stack.TenantKeyAsync("viewer"));
        var tenantId = (await tenant.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var other = "t-other-" + Guid.NewGuid().ToString("N")[..6];
        var shared = await BeatAsync(new LoadedModel(tenantId, "mine", 1, "sha256:a", "cpu"), new LoadedModel(other, "theirs", 4, "sha256:b", "cpu"));
        var foreign = await BeatAsync(new LoadedModel(other, "theirs", 4, "sha256:b", "cpu"));
        using var operatorClient = stack.Client();
        await Eventually.GetAsync(async () => (await operatorClient.GetStringAsync("/v1/workers")).Contains(foreign, StringComparison.Ordinal) ? "seen" : null,
            TimeSpan.FromSeconds(15), "the gateway to read the heartbeats");

        var seen = await tenant.GetStringAsync("/v1/workers");
        var workers = JsonDocument.Parse(seen).RootElement.GetProperty("items").Deserialize<List<WorkerHeartbeat>>(Json)!;

        Assert.DoesNotContain(shared, seen);
        Assert.DoesNotContain(foreign, seen);
        Assert.DoesNotContain(other, seen);
        Assert.DoesNotContain("machine-7", seen);
        Assert.DoesNotContain("/opt/secret", seen);
        var worker = Assert.Single(workers);
        Assert.Equal([("mine", 1)], worker.LoadedModels.Select(m => (m.ModelName, m.Version)));
        Assert.Equal(0, worker.QueueDepth);
        Assert.Equal(0, worker.BusyFraction);
        Assert.StartsWith("worker-", worker.WorkerId, StringComparison.Ordinal);
        Assert.Contains(shared, await operatorClient.GetStringAsync("/v1/workers"));
    }

    private static async Task<string> BeatAsync(params LoadedModel[] models)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("w-" + Guid.NewGuid().ToString("N")[..8], "machine-7", "cpu", "cpu", models, 17, 1234, 3.5, 0.8,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "cuda: libcudart.so.13 not found in /opt/secret");
        await redis.GetDatabase().StringSetAsync($"orbit:workers:{beat.WorkerId}", JsonSerializer.Serialize(beat, Json), TimeSpan.FromSeconds(30));
        return beat.WorkerId;
    }
}
