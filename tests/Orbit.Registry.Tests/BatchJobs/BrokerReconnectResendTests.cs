using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Wire;
using Orbit.Registry.BatchJobs;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using RabbitMQ.Client;
using static Orbit.Registry.Tests.BatchJobs.BatchTestData;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class BrokerReconnectResendTests
{
    /// <summary>
    /// Chunks are transient messages, which a broker that restarts drops; the registry sends its chunks in flight again
    /// when its connection comes back, instead of after <c>ResendAfterSeconds</c> (600 s). Here nothing consumes the
    /// chunks, so the queue shows each send: three chunks before the cut, three more after it.
    /// </summary>
    [Fact]
    public async Task Chunks_in_flight_are_sent_again_when_the_broker_connection_comes_back()
    {
        var broker = new Uri(TestInfrastructure.RabbitMqUrl);
        await using var proxy = new TcpProxy(broker.Host, broker.IsDefaultPort ? 5672 : broker.Port);
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var registry = RegistryHost.Start(store, new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = new UriBuilder(broker) { Port = proxy.Port }.Uri.ToString(),
        });
        var files = registry.Services.GetRequiredService<BatchFiles>();
        var jobs = registry.Services.GetRequiredService<BatchJobRepository>();
        var csv = new StringBuilder("a,b,c\n");
        for (var row = 0; row < 30; row++)
        {
            csv.Append($"{row},{row + 1},{row + 2}\n");
        }

        var job = await CsvJobAsync(files, "resend-", Abc(), csv.ToString());
        var queue = BatchAddresses.Queue(job.TenantId, job.ModelName);
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await jobs.CreateAsync(job, CancellationToken.None);
            registry.Services.GetRequiredService<BatchScheduler>().Notify();
            await WaitForMessagesAsync(connection, queue, 3);

            proxy.Cut();
            using var http = registry.RawClient();
            await Eventually.GetAsync(async () =>
                (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable ? "down" : null,
                TimeSpan.FromSeconds(30), "the registry to notice it lost the broker");
            proxy.Restore();

            await WaitForMessagesAsync(connection, queue, 6);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    private static Task WaitForMessagesAsync(IConnection connection, string queue, uint count) =>
        Eventually.GetAsync(async () =>
        {
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                return (await probe.QueueDeclarePassiveAsync(queue)).MessageCount == count ? "there" : null;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return null; // not declared yet: the first chunk is not sent yet
            }
        }, TimeSpan.FromSeconds(60), $"{count} chunk messages on {queue}");
}
