using Orbit.Hosting.Configuration;
using Orbit.Hosting.Streams;

namespace Orbit.InferenceWorker.Statistics;

internal static class StatisticsRegistration
{
    public static IServiceCollection AddWorkerStatistics(this IServiceCollection services)
    {
        services.AddValidatedOptions<StatisticsOptions>(StatisticsOptions.Section);
        services.AddOrbitStreams();
        services.AddSingleton<StatisticsMetrics>();
        services.AddSingleton<StatisticsQueue>();
        services.AddSingleton<VersionProfiles>();
        services.AddSingleton<StatisticsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<StatisticsCollector>());
        return services;
    }
}
