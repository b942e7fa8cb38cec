extern alias worker;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Tests.Support;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Tracing;

public sealed class SingleTraceTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    private static readonly string AddInputs = """
        {"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[DATA]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[DATA]}]}
        """.Replace("DATA", string.Join(",", Enumerable.Range(0, 60)), StringComparison.Ordinal);

    /// <summary>
    /// The gateway and a real worker in one process, on the real RabbitMQ: OpenTelemetry listens to
    /// activity sources process-wide, so one in-memory exporter records both services' spans. In one
    /// process a context could also flow in memory, so the test reads the message off the broker too:
    /// its binary body travels with the send span's W3C <c>traceparent</c> header, which is all a worker
    /// in another process (or language) gets.
    /// </summary>
    [Fact]
    public async Task One_inference_is_one_trace_from_the_gateway_over_the_bus_to_the_worker_and_back()
    {
        // A tenant of its own: the admin tenant's rate limit is shared with every other test in this process.
        using var client = stack.Client(await stack.TenantKeyAsync());
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } })
        {
            (await client.PostAsync($"/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        }

        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        var spans = new RecordedSpans();
        var data = Directory.CreateTempSubdirectory("orbit-trace-worker-").FullName;
        await using var worker = new WorkerFactory(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = data,
            ["Orbit:Worker:RegistryUrl"] = stack.RegistryUrl.ToString(),
            ["Orbit:Worker:RegistryKey"] = GatewayStack.AdminKey,
            ["Orbit:Worker:HeartbeatSeconds"] = "1",
            ["Orbit:Worker:Models:0"] = $"{tenant}/{model}",
        }, spans);
        _ = worker.Server;
        // The first answered request opens the gateway's lane to this model; the traced one comes after it.
        await Eventually.GetAsync(async () => (await InferAsync(client, model, null)).StatusCode == HttpStatusCode.OK ? "served" : null,
            TimeSpan.FromSeconds(60), "the worker to serve the model");

        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var copies = await rabbit.ListenAsync($"infer.{tenant}.{model}");
        var caller = ActivityContext.Parse($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01", null);
        using var response = await InferAsync(client, model, caller);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var queue = $"infer.{tenant}.{model}";
        var trace = await Eventually.GetAsync(() =>
        {
            var inTrace = spans.Snapshot().Where(s => s.TraceId == caller.TraceId).ToList();
            // The last spans to end are the gateway's handling of the reply and its server span, which ends
            // after the response is written: the client can hold the answer before either is exported.
            return Task.FromResult(inTrace.Count(s => s.Kind == ActivityKind.Consumer) >= 4 && inTrace.Any(s => s.Kind == ActivityKind.Server) ? inTrace : null);
        }, TimeSpan.FromSeconds(10), "the reply's spans");

        var server = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal("/v2/models/{model}/infer", server.GetTagItem("http.route"));
        Assert.Equal(caller.SpanId, server.ParentSpanId);
        var send = Assert.Single(trace, s => s.Kind == ActivityKind.Producer && s.DisplayName == $"{queue} send");
        Assert.Equal(server.SpanId, send.ParentSpanId);
        var receive = Assert.Single(trace, s => s.Kind == ActivityKind.Consumer && s.DisplayName == $"{queue} receive");
        Assert.Equal(send.SpanId, receive.ParentSpanId);
        var sent = await Eventually.GetAsync(() => rabbit.GetAsync(copies), TimeSpan.FromSeconds(5), "a copy of the request message");
        Assert.Equal(InferenceWireFormat.MediaType, sent.BasicProperties.ContentType);
        Assert.Equal($"00-{caller.TraceId}-{send.SpanId}-01", Encoding.UTF8.GetString((byte[])sent.BasicProperties.Headers!["traceparent"]!));
        var consume = Assert.Single(trace, s => s.Kind == ActivityKind.Consumer && s.DisplayName == $"{queue} process");
        Assert.Equal(receive.SpanId, consume.ParentSpanId);
        var reply = Assert.Single(trace, s => s.Kind == ActivityKind.Producer && s.ParentSpanId == consume.SpanId);
        var replyReceived = Assert.Single(trace, s => s.Kind == ActivityKind.Consumer && s.ParentSpanId == reply.SpanId);
        Assert.Equal("receive", replyReceived.GetTagItem("messaging.operation"));
        Assert.Contains(trace, s => s.Kind == ActivityKind.Consumer && s.ParentSpanId == replyReceived.SpanId);
    }

    private static Task<HttpResponseMessage> InferAsync(HttpClient client, string model, ActivityContext? caller)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer")
        {
            Content = new StringContent(AddInputs, Encoding.UTF8, "application/json"),
        };
        if (caller is { } parent)
        {
            request.Headers.Add("traceparent", $"00-{parent.TraceId}-{parent.SpanId}-01");
        }

        return client.SendAsync(request);
    }

    private sealed class WorkerFactory(IDictionary<string, string?> settings, RecordedSpans spans) : OrbitServiceFactory<worker::Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        }
    }
}
