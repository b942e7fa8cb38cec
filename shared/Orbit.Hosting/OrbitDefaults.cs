using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Health;
using Orbit.Hosting.Logging;
using Orbit.Hosting.Messaging;
using Orbit.Hosting.Metrics;
using Orbit.Hosting.Redis;
using Orbit.Hosting.Telemetry;

namespace Orbit.Hosting;

/// <summary>What every Orbit service does alike: logging, options, health, metrics and traces, errors, bus and Redis.</summary>
public static class OrbitDefaults
{
    public static WebApplicationBuilder AddOrbitDefaults(
        this WebApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.Configuration.AddOrbitEnvironmentShortcuts();
        builder.AddOrbitLogging(serviceName);
        builder.AddOrbitTelemetry(serviceName);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var services = builder.Services;
        // Resolved when first asked for, so settings a host adds after this call (tests do) still count.
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var dataDirectory = configuration["Orbit:DataDirectory"] is { Length: > 0 } configured ? configured : "data";
            return new OrbitServiceInfo(
                serviceName,
                configuration["Orbit:InstanceId"] ?? $"{serviceName}-{Environment.MachineName}-{Environment.ProcessId}",
                DateTimeOffset.UtcNow,
                Path.GetFullPath(dataDirectory));
        });
        services.AddSingleton(TimeProvider.System);

        services.AddValidatedOptions<LoggingOptions>(LoggingOptions.Section);
        services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);
        services.AddValidatedOptions<RedisOptions>(RedisOptions.Section);
        services.AddValidatedOptions<MetricsOptions>(MetricsOptions.Section);
        services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.Section);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Type ??= ProblemTypes.ForStatus(status);
            if (Correlation.Current is { } id)
            {
                context.ProblemDetails.Extensions["correlationId"] = id;
            }
        });
        services.AddExceptionHandler<OrbitExceptionHandler>();
        // Bad request bodies reach the exception handler, which names the offending field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddOrbitBus(configureBus);
        services.AddOrbitRedis();
        services.AddHealthChecks()
            .AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(3));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication UseOrbitDefaults(this WebApplication app)
    {
        app.UseMiddleware<CorrelationMiddleware>();
        // After the correlation id is set, so each request's log line carries it.
        app.UseOrbitRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is not null)
        {
            // Placed after the status-code pages, so a 401 or 403 gets a problem body too.
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapOrbitHealth(app.Services.GetRequiredService<OrbitServiceInfo>().Name);
        app.MapOrbitMetrics();
        return app;
    }
}
