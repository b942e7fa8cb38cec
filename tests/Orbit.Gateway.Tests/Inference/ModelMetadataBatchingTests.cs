using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Inference;

/// <summary>OIP model metadata says whether the version's requests are batched, and why not, from the workers' heartbeats.</summary>
public sealed class ModelMetadataBatchingTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";

    [Fact]
    public async Task Model_metadata_reports_that_a_version_is_served_unbatched_and_the_worker_s_reason()
    {
        using var client = stack.Client(await stack.TenantKeyAsync());
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(AddModel));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            (await client.PostAsync($"/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        }

        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        const string reason = "output 'sum' differs between a run of 3 merged rows and one-by-one runs: the model does not treat rows independently";
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("probe-" + Guid.NewGuid().ToString("N")[..6], "test", "cpu", "cpu",
            [new LoadedModel(tenant, model, 1, "sha256:x", "cpu", Batching: false, BatchingReason: reason)], 0, 0, 0, 0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await redis.GetDatabase().StringSetAsync($"orbit:workers:{beat.WorkerId}", JsonSerializer.Serialize(beat, new JsonSerializerOptions(JsonSerializerDefaults.Web)), TimeSpan.FromSeconds(30));

        var batching = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync($"/v2/models/{model}");
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("parameters").GetProperty("batching");
            return state.GetProperty("state").GetString() == "unknown" ? null : state.Clone().GetRawText();
        }, TimeSpan.FromSeconds(20), "the gateway to report the worker's batching state");
        var root = JsonDocument.Parse(batching).RootElement;

        Assert.Equal("disabled", root.GetProperty("state").GetString());
        Assert.Equal(reason, root.GetProperty("reason").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(beat.WorkerId, root.GetProperty("workers")[0].GetProperty("workerId").GetString());
    }
}
