using System.Net;
using System.Net.Sockets;
using System.Text;
using Orbit.Cli.Registry;

namespace Orbit.Cli.Tests.Registry;

public sealed class ErrorCauseTests : IDisposable
{
    private const string Key = "orbit-cli-error-cause-key-000000001";
    private readonly string _folder = Directory.CreateTempSubdirectory("orbit-cli-cause-").FullName;

    [Fact]
    public async Task A_connection_broken_mid_request_is_reported_with_its_cause_not_as_an_unreachable_registry()
    {
        var broken = new HttpRequestException(HttpRequestError.Unknown, "Error while copying content to a stream.",
            new IOException("Unable to write data to the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset)));
        var model = WriteFile(1024);

        var run = await CliOutput.RunAsync(_ => new HttpClient(new ThrowingHandler(broken)), "models", "push", "m", model, "--url", "http://orbit.test", "--key", Key);

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("cannot reach", run.Error);
        Assert.DoesNotContain("is it running", run.Error);
        Assert.Contains("Connection reset by peer", run.Error);
        Assert.Contains("Error while copying content to a stream", run.Error);
    }

    [Fact]
    public async Task A_push_the_server_refuses_before_reading_its_body_prints_the_status_and_the_servers_message()
    {
        using var server = new RefusingServer();
        var model = WriteFile(8 * 1024 * 1024);

        var run = await CliOutput.RunAsync(null, "models", "push", "big", model, "--url", server.Url, "--key", Key);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[413]", run.Error);
        Assert.Contains("the limit is 1024 bytes", run.Error);
        Assert.Contains("field: file", run.Error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(int length)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".onnx");
        using var file = File.Create(path);
        file.SetLength(length);
        return path;
    }

    private sealed class ThrowingHandler(Exception error) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(error);
    }

    /// <summary>
    /// Answers every request 413 the way Kestrel does under a body limit: at once when the client asks
    /// (<c>Expect: 100-continue</c>); otherwise after reading a little of the body, and then it drops the connection.
    /// </summary>
    private sealed class RefusingServer : IDisposable
    {
        private const string Problem = """{"type":"urn:orbit:problem:payload-too-large","title":"The request is not valid","status":413,"detail":"The upload is over the limit; the limit is 1024 bytes for the model (Orbit:Registry:MaxArtifactBytes).","field":"file"}""";
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serving;

        public RefusingServer()
        {
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public void Dispose()
        {
            _listener.Stop();
            _ = _serving.Exception;
        }

        private async Task ServeAsync()
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var headers = await ReadHeadersAsync(stream);
                var expects = headers.Contains("expect: 100-continue", StringComparison.OrdinalIgnoreCase);
                if (!expects)
                {
                    await stream.ReadExactlyAsync(new byte[64 * 1024]);
                }

                var body = Encoding.UTF8.GetBytes(Problem);
                var head = $"HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray());
                if (expects)
                {
                    client.Client.Shutdown(SocketShutdown.Send);
                    _ = await stream.ReadAsync(new byte[1]);
                }
                else
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                }
            }
        }

        private static async Task<string> ReadHeadersAsync(NetworkStream stream)
        {
            var text = new StringBuilder();
            var one = new byte[1];
            while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    break;
                }

                text.Append((char)one[0]);
            }

            return text.ToString();
        }
    }
}
