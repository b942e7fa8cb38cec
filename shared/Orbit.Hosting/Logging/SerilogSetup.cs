using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Orbit.Hosting.Logging;

internal static class SerilogSetup
{
    private const string PlainTemplate =
        "{Timestamp:HH:mm:ss.fff} {Level:u3} {Service} {SourceContext}{CorrelationSuffix} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Routes Microsoft.Extensions.Logging into Serilog: plain text in Development, JSON elsewhere.
    /// Logging settings are read before option validation runs, so a bad value here fails at once.
    /// </summary>
    public static void AddOrbitLogging(this WebApplicationBuilder builder, string serviceName)
    {
        var options = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        var json = options.Format switch
        {
            "json" => true,
            "plain" => false,
            "" => !builder.Environment.IsDevelopment(),
            _ => throw new InvalidOperationException(
                $"{LoggingOptions.Section}:Format must be 'plain' or 'json', got '{options.Format}'."),
        };
        if (!Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: false, out var level))
        {
            throw new InvalidOperationException(
                $"{LoggingOptions.Section}:Level must be Verbose, Debug, Information, Warning, Error or Fatal, got '{options.Level}'.");
        }

        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LevelAtLeast(level, LogEventLevel.Warning))
            .MinimumLevel.Override("Microsoft.Extensions.Http", LevelAtLeast(level, LogEventLevel.Warning))
            // Authentication registers data protection; Orbit keeps no cookies, so its key-storage warning is noise.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LevelAtLeast(level, LogEventLevel.Error))
            .MinimumLevel.Override("MassTransit", LevelAtLeast(level, LogEventLevel.Information))
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName)
            .Enrich.With(new CorrelationEnricher(plainSuffix: !json));
        configuration = json
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(outputTemplate: PlainTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
    }

    private static LogEventLevel LevelAtLeast(LogEventLevel configured, LogEventLevel floor) =>
        configured > floor ? configured : floor;
}
