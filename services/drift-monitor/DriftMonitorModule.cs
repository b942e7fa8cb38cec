using Orbit.DriftMonitor.Api;
using Orbit.DriftMonitor.Auth;
using Orbit.DriftMonitor.Baselines;
using Orbit.DriftMonitor.Evaluation;
using Orbit.DriftMonitor.Ingest;
using Orbit.DriftMonitor.Metrics;
using Orbit.DriftMonitor.Storage;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor;

internal static class DriftMonitorModule
{
    public static WebApplicationBuilder AddDriftMonitor(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DriftMonitorOptions>(DriftMonitorOptions.Section);
        services.AddOrbitStreams();
        services.AddOrbitApiKeyAuth<RegistryKeyResolver>();
        services.AddHttpClient(BaselineSource.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSqlStore<DriftDatabase>(DriftDatabase.Migrations, [HealthTags.Ready]);
        services.AddSingleton<DriftStore>();
        services.AddSingleton<BaselineSource>();
        services.AddSingleton<DriftMetrics>();
        // Migrations first: hosted services start in the order they are added.
        services.AddHostedService(sp => sp.GetRequiredService<SqlMigrationRunner>());
        services.AddHostedService<StatsIngestor>();
        services.AddSingleton<Accuracy.AccuracyStore>();
        services.AddSingleton<Accuracy.AccuracyEvaluator>();
        services.AddHostedService<Accuracy.AccuracyIngestor>();
        services.AddSingleton<DriftEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftEvaluator>());
        return builder;
    }

    public static WebApplication MapDriftMonitor(this WebApplication app)
    {
        // The metrics are observable gauges: create the meter when the host starts, not at the first scrape.
        app.Services.GetRequiredService<DriftMetrics>();
        app.MapDriftApi();
        return app;
    }
}
