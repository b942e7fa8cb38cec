namespace Orbit.Testing;

/// <summary>
/// A RabbitMQ virtual host of a test's own (created with rabbitmqctl), so the events it publishes reach no other
/// test's or service's queues, deleted on dispose. Where the broker cannot be managed (ORBIT_RABBITMQ points
/// elsewhere, or rabbitmqctl fails) the shared one is used: <see cref="Name"/> is null.
/// </summary>
public sealed class VirtualHost : IAsyncDisposable
{
    private VirtualHost(string? name) => Name = name;

    public string? Name { get; }

    public string Url => Name is null ? TestInfrastructure.RabbitMqUrl : $"amqp://guest:guest@127.0.0.1:5672/{Name}";

    /// <param name="prefix">The start of its name, e.g. <c>orbit-e2e-</c>; a random suffix follows.</param>
    public static async Task<VirtualHost> CreateAsync(string prefix)
    {
        if (Environment.GetEnvironmentVariable("ORBIT_RABBITMQ") is not null)
        {
            return new VirtualHost(null);
        }

        var name = prefix + Guid.NewGuid().ToString("N")[..8];
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
