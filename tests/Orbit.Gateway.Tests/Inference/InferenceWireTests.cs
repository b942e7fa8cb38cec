using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Registry;
using Orbit.Gateway.Tests.Support;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Gateway.Tests.Inference;

/// <summary>
/// Between the gateway and a real worker over the real broker, inference requests travel in the binary
/// wire format (a copy of each message is taken from the model's exchange to look at), and the answers
/// come back and are read: a REST JSON request gets the right sums, a BYTES tensor its raw bytes.
/// </summary>
public sealed class InferenceWireTests(BinaryServingStack serving) : IClassFixture<BinaryServingStack>
{
    private static readonly float[] X = Enumerable.Range(0, 60).Select(i => i * 0.5f).ToArray();
    private static readonly float[] Y = Enumerable.Range(0, 60).Select(i => 100 - (i * 0.25f)).ToArray();

    [Fact]
    public async Task A_REST_request_reaches_the_worker_binary_and_its_answer_is_read()
    {
        using var client = serving.Client(serving.Key);
        await using var spy = await ExchangeSpy.OpenAsync($"infer.{await TenantAsync(client)}.{serving.AddModel}");
        var json = $$"""{"id":"wire-1","inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[{{Join(X)}}]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[{{Join(Y)}}]}]}""";

        using var response = await client.PostAsync($"/v2/models/{serving.AddModel}/infer", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outputs")[0];
        Assert.Equal(X.Zip(Y, (a, b) => a + b), output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));

        var (contentType, body) = await spy.NextAsync();
        Assert.Equal(InferenceWireFormat.MediaType, contentType);
        var sent = Assert.IsType<InferenceRequested>(InferenceWireFormat.Decode(body));
        Assert.Equal(serving.AddModel, sent.ModelName);
        Assert.Equal(MemoryMarshal.AsBytes(X.AsSpan()).ToArray(), sent.Inputs.Single(i => i.Name == "x").RawData);
        Assert.Equal(MemoryMarshal.AsBytes(Y.AsSpan()).ToArray(), sent.Inputs.Single(i => i.Name == "y").RawData);
        Assert.True(body.Length < 1024, $"two 240-byte tensors took a {body.Length}-byte message");
    }

    [Fact]
    public async Task A_BYTES_tensor_crosses_the_bus_as_its_length_prefixed_bytes()
    {
        using var client = serving.Client(serving.Key);
        await using var spy = await ExchangeSpy.OpenAsync($"infer.{await TenantAsync(client)}.{serving.CastModel}");
        var strings = Enumerable.Range(0, 12).Select(i => (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var json = $$"""{"inputs":[{"name":"input","datatype":"BYTES","shape":[3,4],"data":[{{string.Join(",", strings.Select(s => $"\"{s}\""))}}]}]}""";

        using var response = await client.PostAsync($"/v2/models/{serving.CastModel}/infer", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var output = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outputs")[0];
        Assert.Equal(strings.Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)), output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
        var (contentType, body) = await spy.NextAsync();
        Assert.Equal(InferenceWireFormat.MediaType, contentType);
        var input = Assert.IsType<InferenceRequested>(InferenceWireFormat.Decode(body)).Inputs.Single();
        Assert.Equal("BYTES", input.Datatype);
        Assert.Equal(strings.SelectMany(s => (byte[])[.. BitConverter.GetBytes(s.Length), .. Encoding.UTF8.GetBytes(s)]), input.RawData!);
    }

    private static async Task<string> TenantAsync(HttpClient client) => (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;

    private static string Join(float[] values) => string.Join(",", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A queue of its own bound to a model's exchange: a copy of every message sent there.</summary>
    private sealed class ExchangeSpy(IConnection connection, IChannel channel, string queue) : IAsyncDisposable
    {
        public static async Task<ExchangeSpy> OpenAsync(string exchange)
        {
            var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
            var channel = await connection.CreateChannelAsync();
            var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await channel.QueueBindAsync(queue, exchange, "");
            return new ExchangeSpy(connection, channel, queue);
        }

        public async Task<(string ContentType, byte[] Body)> NextAsync()
        {
            var got = await Eventually.GetAsync(() => channel.BasicGetAsync(queue, autoAck: true), TimeSpan.FromSeconds(30), "a copy of the request on the model's exchange");
            return (got.BasicProperties.ContentType ?? "", got.Body.ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
