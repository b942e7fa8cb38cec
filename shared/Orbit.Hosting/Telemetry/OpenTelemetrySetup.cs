using MassTransit.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orbit.Hosting.Telemetry;

internal static class OpenTelemetrySetup
{
    /// <summary>Every meter Orbit's own code creates starts with this.</summary>
    public const string OrbitMeters = "Orbit.*";

    /// <summary>
    /// Metrics (Orbit's meters, ASP.NET Core, HttpClient, the runtime) for the Prometheus scrape at
    /// <c>/metrics</c>; traces of ASP.NET Core, HttpClient and MassTransit, whose W3C trace context
    /// travels in the messages' <c>traceparent</c> header. Both go to an OTLP collector only when one
    /// is configured. OTLP settings are read here, before option validation, like the logging ones.
    /// </summary>
    public static void AddOrbitTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrEmpty(options.OtlpEndpoint)
            || !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: OrbitServiceInfo.Version))
            .WithMetrics(metrics =>
            {
                // Meters made by another host's IMeterFactory in this process (test hosts side by side) are not
                // this host's: listening to them would export the wrong host's series, or none once it stops.
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) =>
                {
                    var own = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    builder.AddView(instrument => instrument.Meter.Scope is System.Diagnostics.Metrics.IMeterFactory factory && !ReferenceEquals(factory, own)
                        ? MetricStreamConfiguration.Drop
                        : null);
                });
                metrics
                    .AddMeter(OrbitMeters)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddView(MetricViews.SecondsWithoutAdvice)
                    .AddView(MetricViews.GaugesNamedLikeSeries)
                    .AddPrometheusExporter(prometheus =>
                    {
                        // Every scrape sees the current values, as Orbit's own exporter did.
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                        // Series keep the labels their instruments give, without otel_scope_* on each.
                        prometheus.ScopeInfoEnabled = false;
                    });
                if (otlp)
                {
                    metrics.AddOtlpExporter(exporter => Configure(exporter, options, "v1/metrics"));
                }
            })
            .WithTracing(tracing =>
            {
                // Parent-based: a request that arrives sampled (traceparent) stays sampled through every service.
                tracing
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource(DiagnosticHeaders.DefaultListenerName);
                if (otlp)
                {
                    tracing.AddOtlpExporter(exporter => Configure(exporter, options, "v1/traces"));
                }
            });
    }

    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments("/metrics", StringComparison.Ordinal);

    /// <summary>Orbit's keys win over the standard <c>OTEL_EXPORTER_OTLP_*</c> variables, which the exporter reads by itself.</summary>
    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpProtocol is { Length: > 0 } protocol)
        {
            exporter.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        }

        if (options.OtlpEndpoint is { Length: > 0 } endpoint)
        {
            // Over HTTP each signal has its own path; a base URL set in code is taken as it is, so add it.
            exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.TrimEnd('/') + "/" + signalPath)
                : new Uri(endpoint);
        }
    }
}
