using System.Globalization;
using System.Text;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Registry.Tests.Outbox;

/// <summary>The registry with its Redis cut off by a proxy (the shared Redis keeps running).</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task While_Redis_is_cut_deployment_changes_still_reach_the_bus_and_Redis_is_repaired_when_it_returns()
    {
        var endpoint = TestInfrastructure.Redis.Split(',')[0];
        var colon = endpoint.LastIndexOf(':');
        await using var proxy = new TcpProxy(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture));
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var registry = RegistryHost.Start(store, new Dictionary<string, string?>
        {
            ["Orbit:Redis:Configuration"] = $"127.0.0.1:{proxy.Port},defaultDatabase=9",
        });
        using var admin = registry.Client();
        var model = TestModels.UniqueName();
        await admin.PushAsync(model, TestModels.Add);
        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var queue = await rabbit.ListenAsync("Orbit.Contracts.Models:DeploymentChanged");

        proxy.Cut();
        var view = await admin.DeployAsync(model, stable: 1);

        await Eventually.GetAsync(async () =>
        {
            var message = await rabbit.GetAsync(queue);
            var text = message is null ? null : Encoding.UTF8.GetString(message.Body.Span);
            return text is not null && text.Contains(model, StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "DeploymentChanged on the bus while Redis is cut");
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        Assert.False(await redis.GetDatabase().KeyExistsAsync($"orbit:routes:admin:{model}"));

        proxy.Restore();

        var revision = await Eventually.GetAsync(async () =>
        {
            var stored = await redis.GetDatabase().HashGetAsync($"orbit:routes:admin:{model}", "revision");
            return stored.IsNullOrEmpty ? null : stored.ToString();
        }, TimeSpan.FromSeconds(30), "the routing table to be repaired in Redis");
        Assert.Equal(view.Revision.ToString(CultureInfo.InvariantCulture), revision);
    }
}
