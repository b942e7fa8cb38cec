using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orbit.Hosting.Configuration;

namespace Orbit.Hosting.Streams;

public static class StreamRegistration
{
    /// <summary>
    /// <see cref="IStreamPublisher"/> and <see cref="IStreamReader"/> over RabbitMQ stream queues on the broker of
    /// <c>Orbit:RabbitMq:Url</c>, configured by <c>Orbit:Streams</c> (<see cref="StreamOptions"/>). Safe to call more than once.
    /// Nothing connects until the first publish or read.
    /// </summary>
    public static IServiceCollection AddOrbitStreams(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StreamConnections)))
        {
            return services;
        }

        services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);
        services.AddValidatedOptions<StreamOptions>(StreamOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new StreamConnections(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RabbitMqOptions>>(), sp.GetService<OrbitServiceInfo>()));
        services.AddSingleton<StreamDeclarations>();
        services.AddSingleton<RabbitMqStreamPublisher>();
        services.AddSingleton<IStreamPublisher>(sp => sp.GetRequiredService<RabbitMqStreamPublisher>());
        services.AddSingleton<IStreamReader, RabbitMqStreamReader>();
        return services;
    }
}
