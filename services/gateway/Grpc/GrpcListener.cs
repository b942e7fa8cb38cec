using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// Gives Kestrel a second endpoint, <c>Orbit:Gateway:GrpcPort</c>, that speaks HTTP/2 only: gRPC without TLS
/// needs HTTP/2 with prior knowledge (h2c), which an endpoint that also speaks HTTP/1.1 cannot offer on plain TCP.
/// <para>
/// An endpoint configured in code makes Kestrel ignore <c>Urls</c>, so when gRPC is on, the REST addresses are bound
/// here too, as Kestrel would bind them; the gRPC endpoint listens on the same hosts. With gRPC off nothing changes.
/// A host that configures Kestrel's endpoints in code itself (a test's <c>UseKestrel(port)</c>) should leave gRPC off.
/// </para>
/// </summary>
internal static partial class GrpcListener
{
    private const string DefaultUrls = "http://localhost:5000";

    public static void Configure(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var port = kestrel.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.GrpcPort;
            if (port == 0)
            {
                return;
            }

            var urls = RestUrls(context.Configuration).Select(BindingAddress.Parse).ToList();
            if (urls.FirstOrDefault(u => u.Port == port) is { } taken)
            {
                throw new OptionsValidationException(GatewayOptions.Section, typeof(GatewayOptions),
                    [$"{GatewayOptions.Section}:GrpcPort (environment Orbit__Gateway__GrpcPort): {port} is the REST endpoint's port ({taken}); gRPC needs a port of its own"]);
            }

            var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcListener));
            foreach (var url in urls)
            {
                Listen(kestrel, url, url.Port, protocols: null);
            }

            foreach (var url in urls.DistinctBy(u => (u.Scheme, u.Host)))
            {
                Listen(kestrel, url, port, HttpProtocols.Http2);
                LogListening(logger, $"{url.Scheme}://{url.Host}:{port}");
            }
        });

    /// <summary>What Kestrel would bind for REST: <c>urls</c>, else <c>http_ports</c> / <c>https_ports</c> (as container images set them), else its default.</summary>
    private static IEnumerable<string> RestUrls(IConfiguration configuration)
    {
        static string[] Split(string? value) => (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration["urls"]);
        if (urls.Length > 0)
        {
            return urls;
        }

        var ports = Split(configuration["http_ports"]).Select(p => "http://*:" + p)
            .Concat(Split(configuration["https_ports"]).Select(p => "https://*:" + p))
            .ToList();
        return ports.Count > 0 ? ports : [DefaultUrls];
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress url, int port, HttpProtocols? protocols)
    {
        void Configure(ListenOptions listen)
        {
            if (protocols is { } only)
            {
                listen.Protocols = only;
            }

            if (url.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps();
            }
        }

        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            // "*", "+" and host names bind every interface, as Kestrel does for them.
            kestrel.ListenAnyIP(port, Configure);
        }
    }

    [LoggerMessage(EventId = GatewayLogEvents.GrpcListening, Level = LogLevel.Information,
        Message = "gRPC Open Inference Protocol (HTTP/2 without TLS where the address is http) on {Address}")]
    private static partial void LogListening(ILogger logger, string address);
}
