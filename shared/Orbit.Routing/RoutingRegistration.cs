using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orbit.Hosting.Configuration;

namespace Orbit.Routing;

public static class RoutingRegistration
{
    /// <summary>The deployment-change consumer (a temporary queue of this instance's own) and the reconnect observer.</summary>
    public static void AddRoutingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeploymentChangedConsumer, DeploymentChangedConsumerDefinition>();
        bus.AddReceiveEndpointObserver<BusReconnectObserver>();
    }

    /// <summary>
    /// Routing tables kept current from Redis and the bus. <typeparamref name="TApplier"/> makes a table
    /// take effect; without one, recording it is enough (a service that only routes).
    /// </summary>
    public static IServiceCollection AddDeploymentRouting<TApplier>(this IServiceCollection services)
        where TApplier : class, IRoutingTableApplier
    {
        services.AddValidatedOptions<RoutingOptions>(RoutingOptions.Section);
        services.AddSingleton<RoutingTables>();
        services.AddSingleton<RoutingTableReader>();
        services.AddSingleton<RefreshSignal>();
        services.TryAddSingleton<TApplier>();
        services.AddSingleton<IRoutingTableApplier>(sp => sp.GetRequiredService<TApplier>());
        services.AddSingleton<RoutingRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<RoutingRefresher>());
        return services;
    }

    public static IServiceCollection AddDeploymentRouting(this IServiceCollection services) => services.AddDeploymentRouting<RecordingApplier>();
}
