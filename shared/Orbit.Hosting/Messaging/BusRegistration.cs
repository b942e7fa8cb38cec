using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.Hosting.Metrics;

namespace Orbit.Hosting.Messaging;

internal static class BusRegistration
{
    private const RawSerializerOptions RawOptions = RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.CopyHeaders;

    /// <summary>
    /// MassTransit on RabbitMQ with plain JSON bodies (<c>application/json</c>, no envelope), so
    /// any language can publish and consume (and, between gateway and worker and between registry and worker only,
    /// the binary <see cref="InferenceWire.InferenceWireFormat"/> for inference messages and batch chunks); kebab-case endpoint names; and MassTransit's <c>{queue}_error</c> queues for messages that still fail, with the exception
    /// in the message headers.
    /// </summary>
    public static void AddOrbitBus(this IServiceCollection services, Action<IBusRegistrationConfigurator>? configure)
    {
        services.AddSingleton<BusMetrics>();
        services.Configure<MassTransitHostOptions>(o =>
        {
            // Start in the background: a broker that is down makes the service not-ready, not dead.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(x =>
        {
            // MassTransit's usage telemetry walks the bus's endpoint configurations just after the bus starts, while a
            // worker connects its per-model endpoints: "Collection was modified" faulted a worker's bus start and left
            // it never ready (seen in an end-to-end run). Nothing here would send that telemetry anywhere either.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            configure?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var url = new Uri(options.Url);
                var (user, password) = Credentials(url);
                var virtualHost = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
                cfg.Host(url.Host, (ushort)(url.IsDefaultPort ? (url.Scheme == "amqps" ? 5671 : 5672) : url.Port),
                    virtualHost.Length == 0 ? "/" : virtualHost, h =>
                    {
                        h.Username(user);
                        h.Password(password);
                        if (url.Scheme == "amqps")
                        {
                            h.UseSsl(s => s.ServerName = url.Host);
                        }
                    });

                // No AnyMessageType: a typed reply (InferenceCompleted or InferenceRejected) must match only its own handler;
                // a message with no type header at all, as from a non-.NET publisher, is still accepted.
                cfg.UseRawJsonSerializer(RawOptions, isDefault: true);
                // Never the default: only inference messages and batch chunks that a sender marks travel binary; every endpoint still takes JSON.
                var inferenceWire = new InferenceWireSerializerFactory(RawOptions);
                cfg.AddSerializer(inferenceWire, isSerializer: false);
                cfg.AddDeserializer(inferenceWire);
                cfg.ConfigureJsonSerializerOptions(json =>
                {
                    json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
                    return json;
                });
                // No bus-wide retry: retry belongs to the message, in each consumer's definition (MessageRetry).
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.UseSendFilter(typeof(CorrelationSendFilter<>), context);
                cfg.UsePublishFilter(typeof(CorrelationSendFilter<>), context);
                cfg.ConnectSendObserver(new TraceParentObserver());
                cfg.UseConsumeFilter(typeof(CorrelationConsumeFilter<>), context);
                cfg.ConnectConsumeObserver(context.GetRequiredService<BusMetrics>());
                cfg.ConfigureEndpoints(context);
            });
        });
    }

    private static (string User, string Password) Credentials(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return ("guest", "guest");
        }

        var parts = url.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
