using Grpc.Net.Client;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Grpc;

/// <summary>The gateway on real sockets: REST where <c>Urls</c> says, gRPC (HTTP/2 without TLS) on <c>Orbit:Gateway:GrpcPort</c>.</summary>
public sealed class GrpcListenerTests
{
    [Fact]
    public async Task REST_keeps_its_address_and_gRPC_answers_over_h2c_on_its_own_port()
    {
        var (rest, grpc) = (FreePort.Next(), FreePort.Next());
        await using var gateway = Gateway(rest, grpc);
        gateway.StartServer();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest}") };
        using var health = await http.GetAsync("/health/live");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
        var live = await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ServerLiveAsync(new ServerLiveRequest());

        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal(new Version(1, 1), health.Version);
        Assert.True(live.Live);
    }

    [Fact]
    public async Task Without_urls_REST_keeps_the_http_ports_a_container_image_sets()
    {
        var (rest, grpc) = (FreePort.Next(), FreePort.Next());
        await using var gateway = Gateway(rest, grpc, new() { ["urls"] = "", ["http_ports"] = rest.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        gateway.StartServer();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest}") };
        using var health = await http.GetAsync("/health/live");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
        var live = await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ServerLiveAsync(new ServerLiveRequest());

        Assert.True(health.IsSuccessStatusCode);
        Assert.True(live.Live);
    }

    [Fact]
    public async Task A_gRPC_port_equal_to_the_REST_port_stops_the_start_naming_the_key()
    {
        var port = FreePort.Next();
        await using var gateway = Gateway(port, port);

        var failure = Record.Exception(gateway.StartServer);

        Assert.NotNull(failure);
        Assert.Contains("Orbit:Gateway:GrpcPort (environment Orbit__Gateway__GrpcPort): " + port, failure!.ToString());
    }

    private static OrbitServiceFactory<Program> Gateway(int restPort, int grpcPort, Dictionary<string, string?>? settings = null)
    {
        settings ??= new() { ["urls"] = $"http://127.0.0.1:{restPort}" };
        settings["Orbit:Gateway:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var factory = new OrbitServiceFactory<Program>(settings);
        factory.UseKestrel();
        return factory;
    }
}
