using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Inference;

public sealed class GatewayApiTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    private static readonly string AddInputs = """
        {"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[DATA]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[DATA]}]}
        """.Replace("DATA", string.Join(",", Enumerable.Range(0, 60)), StringComparison.Ordinal);

    [Fact]
    public async Task The_registry_API_is_forwarded_so_the_gateway_is_the_only_address()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = Name();

        var pushed = await PushAsync(client, model);
        var listed = await client.GetStringAsync("/v1/models");

        Assert.Equal(1, pushed.Version);
        Assert.Contains(model, listed);
    }

    [Fact]
    public async Task Model_metadata_follows_a_deployment_and_speaks_OIP_datatypes()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);

        var metadata = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync($"/v2/models/{model}");
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetRawText() : null;
        }, TimeSpan.FromSeconds(15), "the gateway to learn of the deployment");
        var root = JsonDocument.Parse(metadata).RootElement;

        Assert.Equal(model, root.GetProperty("name").GetString());
        Assert.Equal("FP32", root.GetProperty("inputs")[0].GetProperty("datatype").GetString());
        Assert.Equal([3L, 4, 5], root.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("sum", root.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_a_key_inference_is_401_in_OIP_form_and_health_answers()
    {
        using var anonymous = stack.Client(null);

        using var infer = await anonymous.PostAsync("/v2/models/any/infer", Json(AddInputs));
        using var live = await anonymous.GetAsync("/v2/health/live");
        using var ready = await anonymous.GetAsync("/v2/health/ready");

        Assert.Equal(HttpStatusCode.Unauthorized, infer.StatusCode);
        Assert.Contains("\"error\":", await infer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Refusals_are_OIP_errors_under_v2_and_problem_details_elsewhere()
    {
        using var anonymous = stack.Client(null);
        using var viewer = stack.Client(await stack.TenantKeyAsync("viewer"));

        using var workers = await anonymous.GetAsync("/v1/workers");
        using var infer = await viewer.PostAsync("/v2/models/any/infer", Json(AddInputs));

        Assert.Equal(HttpStatusCode.Unauthorized, workers.StatusCode);
        Assert.Equal("application/problem+json", workers.Content.Headers.ContentType?.MediaType);
        Assert.Contains("An API key is required", (await workers.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, infer.StatusCode);
        Assert.Contains("needs 'predictor'", (await infer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_model_and_an_undeployed_version_are_404()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);

        using var unknown = await client.PostAsync($"/v2/models/{Name()}/infer", Json(AddInputs));
        using var version = await client.PostAsync($"/v2/models/{model}/versions/7/infer", Json(AddInputs));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, version.StatusCode);
        Assert.Contains("version '7'", await version.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_tenants_model_is_404()
    {
        using var owner = stack.Client(await stack.TenantKeyAsync());
        using var stranger = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(owner);
        await WaitRoutedAsync(owner, model);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/v2/models/{model}/infer", Json(AddInputs))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v2/models/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/models/{model}")).StatusCode);
    }

    [Fact]
    public async Task With_no_live_worker_the_answer_is_503()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);

        using var response = await client.PostAsync($"/v2/models/{model}/infer", Json(AddInputs));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no worker", await response.Content.ReadAsStringAsync());
        // The scrape reads what the exporter has collected; on a loaded machine give it a moment.
        var series = new System.Text.RegularExpressions.Regex($"orbit_gateway_inference_duration_seconds_count\\{{code=\"503\",model=\"{model}\",tenant=\"[^\"]+\",version=\"1\"\\}} [1-9]");
        var last = "";
        try
        {
            await Eventually.GetAsync(async () => series.IsMatch(last = await client.GetStringAsync("/metrics")) ? "recorded" : null,
                TimeSpan.FromSeconds(15), "the 503 in the gateway's inference duration metric");
        }
        catch (TimeoutException)
        {
            Assert.Fail("no 503 series for the model; the inference series in /metrics:\n"
                + string.Join('\n', last.Split('\n').Where(l => l.StartsWith("orbit_gateway_inference_duration_seconds_count", StringComparison.Ordinal)).Take(40)));
        }
    }

    [Fact]
    public async Task A_worker_that_never_answers_is_504_at_the_deadline()
    {
        var key = await stack.TenantKeyAsync();
        using var client = stack.Client(key);
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);
        await ClaimAWorkerServesAsync(tenant, model);
        await Eventually.GetAsync(async () => (await client.GetStringAsync("/v1/workers")).Contains(model, StringComparison.Ordinal) ? "seen" : null,
            TimeSpan.FromSeconds(15), "the gateway to see the heartbeat");

        using var response = await client.PostAsync($"/v2/models/{model}/infer", Json(AddInputs.Replace("{\"inputs\"", "{\"parameters\":{\"timeout\":300},\"inputs\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1]}]}""", "input 'x' has 1 elements")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"XYZ","shape":[1],"data":[1]}]}""", "needs a 'datatype'")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[4294967296,4294967296],"data":[1]}]}""", "input 'x' has shape [4294967296,4294967296] whose element count overflows")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP64","shape":[268435000],"data":[]}]}""", "input 'x' has shape [268435000] of 268435000 elements, more than a body of")]
    public async Task A_malformed_request_is_400_naming_the_problem(string body, string expected)
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);

        using var response = await client.PostAsync($"/v2/models/{model}/infer", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_in_OIP_form()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer") { Content = new ChunkedContent("{\"inputs\":[" + new string(' ', 100_000) + "]}") };
        // Without this the test server buffers a body of unknown length and sends a Content-Length.
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("over 65536 bytes", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_model_name_adds_no_label_value_to_the_metrics()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var unknown = Name();

        using var response = await client.PostAsync($"/v2/models/{unknown}/infer", Json(AddInputs));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.DoesNotContain(unknown, metrics);
        Assert.Contains("model=\"_unknown\"", metrics);
    }

    [Fact]
    public async Task A_tenant_over_its_rate_gets_429_with_retry_after()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(client);
        await WaitRoutedAsync(client, model);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 60 && limited is null; i++)
        {
            var response = await client.PostAsync($"/v2/models/{model}/infer", Json("{}"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    private static async Task<VersionView> PushAsync(HttpClient client, string model)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } };
        using var response = await client.PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<VersionView>())!;
    }

    private static async Task<string> DeployedModelAsync(HttpClient client)
    {
        var model = Name();
        await PushAsync(client, model);
        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        return model;
    }

    private static Task WaitRoutedAsync(HttpClient client, string model) =>
        Eventually.GetAsync(async () => (await client.GetAsync($"/v2/models/{model}/ready")).IsSuccessStatusCode ? "routed" : null,
            TimeSpan.FromSeconds(15), "the gateway to learn of the deployment");

    /// <summary>A heartbeat as a worker would write it, for a worker that is not there to answer.</summary>
    private static async Task<string> ClaimAWorkerServesAsync(string tenant, string model)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("silent-" + Guid.NewGuid().ToString("N")[..6], "test", "cpu", "cpu",
            [new LoadedModel(tenant, model, 1, "sha256:x", "cpu")], 0, 0, 0, 0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await redis.GetDatabase().StringSetAsync($"orbit:workers:{beat.WorkerId}", JsonSerializer.Serialize(beat, new JsonSerializerOptions(JsonSerializerDefaults.Web)), TimeSpan.FromSeconds(20));
        return beat.WorkerId;
    }

    private static string Name() => "m-" + Guid.NewGuid().ToString("N")[..10];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A body sent without a Content-Length (chunked, as a streaming client sends it).</summary>
    private sealed class ChunkedContent(string body) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(body);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
