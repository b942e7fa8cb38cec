using Orbit.Testing;

namespace Orbit.Retrainer.Tests.Support;

/// <summary>
/// A RabbitMQ virtual host of the test's own (created with rabbitmqctl, as the end-to-end platform does), so the
/// events it publishes reach no other test's or service's queues. Where the broker cannot be managed (ORBIT_RABBITMQ
/// points elsewhere) the shared one is used.
/// </summary>
internal sealed class VirtualHost : IAsyncDisposable
{
    private VirtualHost(string? name) => Name = name;

    public string? Name { get; }

    public string Url => Name is null ? TestInfrastructure.RabbitMqUrl : $"amqp://guest:guest@127.0.0.1:5672/{Name}";

    public static async Task<VirtualHost> CreateAsync()
    {
        if (Environment.GetEnvironmentVariable("ORBIT_RABBITMQ") is not null)
        {
            return new VirtualHost(null);
        }

        var name = "orbit-retrainer-" + Guid.NewGuid().ToString("N")[..8];
        var add = await Shell.RunAsync("rabbitmqctl", $"add_vhost {name}", "/", null, TimeSpan.FromSeconds(60));
        var grant = add.ExitCode == 0
            ? await Shell.RunAsync("rabbitmqctl", $"set_permissions -p {name} guest \".*\" \".*\" \".*\"", "/", null, TimeSpan.FromSeconds(60))
            : add;
        return new VirtualHost(grant.ExitCode == 0 ? name : null);
    }

    public async ValueTask DisposeAsync()
    {
        if (Name is not null)
        {
            await Shell.RunAsync("rabbitmqctl", $"delete_vhost {Name}", "/", null, TimeSpan.FromSeconds(60));
        }
    }
}
