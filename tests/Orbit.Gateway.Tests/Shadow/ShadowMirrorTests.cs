using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Shadow;
using Orbit.Gateway.Tests.Support;
using Orbit.Hosting;
using Orbit.Routing;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Shadow;

/// <summary>
/// A shadow through the real gateway and registry on the real RabbitMQ and Redis, with a stand-in worker on the model's
/// queues that answers by version: the caller always gets stable's answer, at once, while the shadow gets a copy whose
/// answer is compared and reaches the registry's report.
/// </summary>
public sealed class ShadowMirrorTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string TestData = "/usr/share/libonnx-testdata/data/node/";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_caller_gets_stables_answer_without_waiting_for_the_shadow_which_receives_a_copy_whose_answer_is_compared()
    {
        using var client = stack.Client(await stack.TenantKeyAsync("deployer"));
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = "sh-" + Guid.NewGuid().ToString("N")[..10];
        await PushAsync(client, model, "test_add");
        await PushAsync(client, model, "test_relu");
        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        var shadowMayAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<(string Queue, InferenceRequested Request)>();
        await using var worker = await WorkerAsync(tenant, model, received, shadowMayAnswer.Task);

        using (var start = await client.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, "shadow", IntervalSeconds: 1, MirrorPercent: 100, DurationSeconds: 600)))
        {
            Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        }

        var routing = stack.GatewayServices.GetRequiredService<RoutingTables>();
        await Eventually.GetAsync(() => Task.FromResult<DeploymentChanged?>(routing.Get(tenant, model) is { Strategy: DeploymentStrategy.Shadow } t ? t : null), Within, "the gateway to route the shadow");
        await Eventually.GetAsync(async () => (await client.GetStringAsync($"/v2/models/{model}/ready")).Contains("true", StringComparison.Ordinal) ? "ready" : null,
            Within, "the gateway to see the stand-in worker");

        // The shadow's copy is held unanswered until the caller has its answer: the caller cannot have waited for it.
        using var response = await client.PostAsync($"/v2/models/{model}/infer",
            new StringContent("""{"id":"client-1","inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2]}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.False(shadowMayAnswer.Task.IsCompleted);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal("1", answer.GetProperty("model_version").GetString());
        Assert.Equal([1L, 0L], answer.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetInt64()));

        var copy = await Eventually.GetAsync(() => Task.FromResult<InferenceRequested?>(received.FirstOrDefault(r => r.Request.ModelVersion == 2).Request), Within, "the shadow to receive the copy");
        var primary = received.Single(r => r.Request.ModelVersion == 1);
        Assert.Equal(InferenceAddresses.Queue(tenant, model), primary.Queue);
        Assert.Equal(InferenceAddresses.AsyncQueue(tenant, model), received.Single(r => r.Request.ModelVersion == 2).Queue);
        Assert.Equal(primary.Request.RequestId + ShadowMirror.IdSuffix, copy.RequestId);
        Assert.Equal(InferencePriority.Asynchronous, copy.Priority);
        Assert.Null(copy.Parameters);
        Assert.Equal(primary.Request.Inputs.Single().RawData, copy.Inputs.Single().RawData);
        shadowMayAnswer.SetResult();

        // Stable said [1, 0], the shadow [1, 1]: one row of two agrees, and the registry's report says so.
        var report = await Eventually.GetAsync(async () =>
            await client.GetFromJsonAsync<RolloutView>($"/v1/models/{model}/rollout") is { Shadow.Compared: >= 1 } v ? v.Shadow : null, Within, "the comparison to reach the registry");
        Assert.Equal((1L, 2L, 0.5), (report!.Mirrored, report.ClassifiedRows, report.Agreement!.Value));
        Assert.Equal((0.0, 0.0), (report.StableErrorRate!.Value, report.ShadowErrorRate!.Value));
        Assert.Single(received, r => r.Request.ModelVersion == 1);

        // The same in Prometheus: one copy compared, one row agreed and one not.
        string[] series =
        [
            $"orbit_gateway_shadow_mirrors_total{{model=\"{model}\",outcome=\"compared\",tenant=\"{tenant}\"}} 1",
            $"orbit_gateway_shadow_rows_total{{agreement=\"agreed\",model=\"{model}\",tenant=\"{tenant}\"}} 1",
            $"orbit_gateway_shadow_rows_total{{agreement=\"disagreed\",model=\"{model}\",tenant=\"{tenant}\"}} 1",
        ];
        await Eventually.GetAsync(async () => series.All((await client.GetStringAsync("/metrics")).Contains) ? "recorded" : null,
            TimeSpan.FromSeconds(30), "the shadow's counters in /metrics");
    }

    [Fact]
    public async Task With_its_limit_of_mirrors_in_flight_a_gateway_skips_the_copy_counts_it_and_answers_the_caller_all_the_same()
    {
        using var admin = stack.Client(await stack.TenantKeyAsync("deployer"));
        var key = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var tenant = (await admin.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = "sh-" + Guid.NewGuid().ToString("N")[..10];
        await PushAsync(admin, model, "test_add");
        await PushAsync(admin, model, "test_relu");
        (await admin.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        var shadowMayAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<(string Queue, InferenceRequested Request)>();
        await using var worker = await WorkerAsync(tenant, model, received, shadowMayAnswer.Task);
        await using var gateway = stack.AnotherGateway(new Dictionary<string, string?>
        {
            ["Orbit:Gateway:Shadow:MaxInFlight"] = "1",
            ["Orbit:Gateway:ServingWindows:WindowSeconds"] = "0.5",
        });
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        (await client.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2, "shadow", IntervalSeconds: 1, DurationSeconds: 600))).EnsureSuccessStatusCode();
        var routing = gateway.Services.GetRequiredService<RoutingTables>();
        await Eventually.GetAsync(() => Task.FromResult<DeploymentChanged?>(routing.Get(tenant, model) is { Strategy: DeploymentStrategy.Shadow } t ? t : null), Within, "the gateway to route the shadow");
        await Eventually.GetAsync(async () => (await client.GetStringAsync($"/v2/models/{model}/ready")).Contains("true", StringComparison.Ordinal) ? "ready" : null,
            Within, "the gateway to see the stand-in worker");

        // The first copy is held unanswered, so the second request finds the one mirror slot taken.
        foreach (var id in new[] { "first", "second" })
        {
            using var response = await client.PostAsync($"/v2/models/{model}/infer",
                new StringContent("{\"id\":\"" + id + "\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]}]}", Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            await Eventually.GetAsync(() => Task.FromResult<string?>(received.Any(r => r.Request.ModelVersion == 2) ? "held" : null), Within, "the first copy to arrive");
        }

        Assert.Equal(1, gateway.Services.GetRequiredService<ShadowMirror>().InFlight);
        shadowMayAnswer.SetResult();
        var report = await Eventually.GetAsync(async () =>
            await client.GetFromJsonAsync<RolloutView>($"/v1/models/{model}/rollout") is { Shadow: { Mirrored: >= 1, Skipped: >= 1 } } v ? v.Shadow : null, Within, "the skip to reach the registry");
        Assert.Equal((1L, 1L), (report!.Mirrored, report.Skipped));
        Assert.Equal(2, received.Count(r => r.Request.ModelVersion == 1));
        Assert.Single(received, r => r.Request.ModelVersion == 2);
    }

    private static async Task PushAsync(HttpClient client, string model, string onnx)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(TestData + onnx + "/model.onnx")), "file", "model.onnx" } };
        using var response = await client.PostAsync($"/v1/models/{model}/versions", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A stand-in worker on the model's real-time and asynchronous queues, serving versions 1 and 2 (its heartbeat says so).
    /// It answers an INT64 label per row: version 1 <c>[1, 0]</c>, version 2 <c>[1, 1]</c> once <paramref name="shadowMayAnswer"/> completes.
    /// </summary>
    private static async Task<WebApplication> WorkerAsync(
        string tenant, string model, ConcurrentQueue<(string Queue, InferenceRequested Request)> received, Task shadowMayAnswer)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(TestInfrastructure.ServiceSettings());
        builder.AddOrbitDefaults("fake-worker");
        var app = builder.Build();
        await app.StartAsync();
        var connector = app.Services.GetRequiredService<IReceiveEndpointConnector>();
        foreach (var queue in new[] { InferenceAddresses.Queue(tenant, model), InferenceAddresses.AsyncQueue(tenant, model) })
        {
            var handle = connector.ConnectReceiveEndpoint(queue, (_, e) => e.Handler<InferenceRequested>(async c =>
            {
                received.Enqueue((queue, c.Message));
                long[] labels = c.Message.ModelVersion == 2 ? [1, 1] : [1, 0];
                if (c.Message.ModelVersion == 2)
                {
                    await shadowMayAnswer;
                }

                var raw = labels.SelectMany(BitConverter.GetBytes).ToArray();
                await c.RespondAsync(new InferenceCompleted(c.Message.RequestId, model, c.Message.ModelVersion ?? 1,
                    [new InferenceTensor("label", "INT64", [2], RawData: raw)], "fake", 0, 0, 1));
            }));
            await handle.Ready;
        }

        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("fake-" + Guid.NewGuid().ToString("N")[..6], "test", "cpu", "cpu",
            [new LoadedModel(tenant, model, 1, "sha256:x", "cpu"), new LoadedModel(tenant, model, 2, "sha256:y", "cpu")], 0, 0, 0, 0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await redis.GetDatabase().StringSetAsync(RedisKeys.Worker(beat.WorkerId), JsonSerializer.Serialize(beat, new JsonSerializerOptions(JsonSerializerDefaults.Web)), TimeSpan.FromSeconds(60));
        return app;
    }
}
