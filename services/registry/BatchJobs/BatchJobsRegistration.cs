using MassTransit;
using Orbit.Hosting.Configuration;

namespace Orbit.Registry.BatchJobs;

internal static class BatchJobsRegistration
{
    public static void AddBatchJobConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BatchChunkResultConsumer, BatchChunkResultConsumerDefinition>();
        bus.AddReceiveEndpointObserver<BrokerReconnectResend>();
    }

    /// <summary>Batch jobs; call after the store's start-up service, so the scheduler starts on a migrated store.</summary>
    public static IServiceCollection AddBatchJobs(this IServiceCollection services)
    {
        services.AddValidatedOptions<BatchJobOptions>(BatchJobOptions.Section);
        services.AddSingleton<BatchFiles>();
        services.AddSingleton<BatchInputFiles>();
        services.AddSingleton<BatchChunkStore>();
        services.AddSingleton<InputStager>();
        services.AddSingleton<BatchJobRepository>();
        services.AddSingleton<ChunkCompletions>();
        services.AddSingleton<BatchProgress>();
        services.AddSingleton<InFlightResend>();
        services.AddSingleton<BatchScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchScheduler>());
        return services;
    }
}
