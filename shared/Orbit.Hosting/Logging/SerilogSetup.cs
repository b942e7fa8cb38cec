using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Orbit.Hosting.Logging;

internal static class SerilogSetup
{
    private const string PlainTemplate =
        "{Timestamp:HH:mm:ss.fff} {Level:u3} {Service} {SourceContext}{CorrelationSuffix}{TraceSuffix} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Routes Microsoft.Extensions.Logging into Serilog: plain text in Development, compact JSON
    /// (with <c>@tr</c>/<c>@sp</c> trace and span ids) elsewhere. The settings are read when the
    /// host builds its logger, so those a test host adds later count too, and a bad value stops the
    /// service at start. Sinks registered in the service collection as
    /// <see cref="Serilog.Core.ILogEventSink"/> receive every event too.
    /// </summary>
    public static void AddOrbitLogging(this WebApplicationBuilder builder, string serviceName)
    {
        var environment = builder.Environment;
        builder.Logging.ClearProviders();
        // Several services may share one process (tests host them so): each keeps its own logger, never the static one.
        builder.Services.AddSerilog((services, configuration) =>
        {
            var (json, level) = Read(services.GetRequiredService<IConfiguration>(), environment);
            configuration
                .MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LevelAtLeast(level, LogEventLevel.Warning))
                .MinimumLevel.Override("Microsoft.Extensions.Http", LevelAtLeast(level, LogEventLevel.Warning))
                // Authentication registers data protection; Orbit keeps no cookies, so its key-storage warning is noise.
                .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LevelAtLeast(level, LogEventLevel.Error))
                .MinimumLevel.Override("MassTransit", LevelAtLeast(level, LogEventLevel.Information))
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName)
                .Enrich.With(new CorrelationEnricher(plainSuffix: !json))
                .ReadFrom.Services(services);
            if (json)
            {
                configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                configuration.WriteTo.Console(outputTemplate: PlainTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }, preserveStaticLogger: true);
    }

    private static (bool Json, LogEventLevel Level) Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        var json = options.Format switch
        {
            "json" => true,
            "plain" => false,
            "" => !environment.IsDevelopment(),
            _ => throw new InvalidOperationException(
                $"{LoggingOptions.Section}:Format must be 'plain' or 'json', got '{options.Format}'."),
        };
        if (!Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: false, out var level))
        {
            throw new InvalidOperationException(
                $"{LoggingOptions.Section}:Level must be Verbose, Debug, Information, Warning, Error or Fatal, got '{options.Level}'.");
        }

        return (json, level);
    }

    /// <summary>
    /// One event per HTTP request (method, path, status, elapsed), written when it ends, inside its
    /// trace and with its correlation id; probes and scrapes are logged at Debug only.
    /// </summary>
    public static IApplicationBuilder UseOrbitRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This service's own logger: the static one is never set (see AddOrbitLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : Telemetry.OpenTelemetrySetup.IsProbe(context.Request.Path) ? LogEventLevel.Debug
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                if (context.GetEndpoint()?.DisplayName is { } endpoint)
                {
                    diagnostics.Set("Endpoint", endpoint);
                }
            };
        });

    private static LogEventLevel LevelAtLeast(LogEventLevel configured, LogEventLevel floor) =>
        configured > floor ? configured : floor;
}
