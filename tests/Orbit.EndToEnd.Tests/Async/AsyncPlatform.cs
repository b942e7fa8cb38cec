using Orbit.Contracts.Wire;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;

namespace Orbit.EndToEnd.Tests.Async;

/// <summary>
/// <c>./orbit up</c> with one worker and the Kafka ingress pointed at a mock cluster; one model
/// deployed; inboxes on the results exchange and the ingress's error queue. Shared by a class's tests.
/// </summary>
public sealed class AsyncPlatform : IAsyncLifetime
{
    public Platform.Platform Platform { get; private set; } = null!;

    public KafkaMock Kafka { get; private set; } = null!;

    public string Models { get; } = Directory.CreateTempSubdirectory("orbit-e2e-async-").FullName;

    public string Model { get; private set; } = "";

    public string ModelPath { get; private set; } = "";

    public string AmqpUrl => Platform.Environment.GetValueOrDefault("Orbit__RabbitMq__Url", "amqp://guest:guest@127.0.0.1:5672/%2F");

    public RabbitInbox Results { get; private set; } = null!;

    public RabbitInbox Errors { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kafka = await KafkaMock.StartAsync();
        Platform = await Orbit.EndToEnd.Tests.Platform.Platform.CreateAsync();
        Platform.Environment["Orbit__Kafka__BootstrapServers"] = Kafka.Bootstrap;
        Platform.Environment["Orbit__Predictions__RetryIntervalMilliseconds"] = "200";
        await Platform.OrbitOkAsync("up --workers 1");
        Results = await RabbitInbox.BindAsync(AmqpUrl, PredictionAddresses.Results, "#");
        Errors = await RabbitInbox.DrainAsync(AmqpUrl, PredictionAddresses.RequestErrors);

        Model = "mlp-" + Guid.NewGuid().ToString("N")[..8];
        ModelPath = Mlp.Write(Models, 21);
        await Platform.OrbitOkAsync($"models push {Model} {ModelPath}");
        await Platform.OrbitOkAsync($"deploy {Model} --stable 1");
        using var client = new OipClient(Platform.Gateway, Platform.AdminKey);
        await Eventually.GetAsync(async () => await client.ReadyAsync(Model, 1) ? "ready" : null,
            TimeSpan.FromSeconds(90), $"the gateway to see {Model} version 1 served");
    }

    public async Task DisposeAsync()
    {
        Platform.Output = null;
        await Results.DisposeAsync();
        await Errors.DisposeAsync();
        await Platform.DisposeAsync();
        Kafka.Dispose();
        Directory.Delete(Models, recursive: true);
    }
}
