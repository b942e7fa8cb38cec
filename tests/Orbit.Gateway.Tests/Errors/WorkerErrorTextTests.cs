using System.Net;
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
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Tests.Support;
using Orbit.Hosting;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Errors;

public sealed class WorkerErrorTextTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    private const string Internal = "/var/lib/orbit/models/sha256/9f/secret.onnx: Non-zero status code returned while running Add node";

    [Fact]
    public async Task A_model_error_from_a_worker_reaches_the_client_as_a_stable_message_with_the_correlation_id()
    {
        using var client = stack.Client(await stack.TenantKeyAsync("deployer"));
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } };
        (await client.PostAsync($"/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        await using var worker = await RejectingWorkerAsync(tenant, model);
        await Eventually.GetAsync(async () => (await client.GetAsync($"/v2/models/{model}/ready")).IsSuccessStatusCode
            && (await client.GetStringAsync($"/v2/models/{model}/ready")).Contains("true", StringComparison.Ordinal) ? "ready" : null,
            TimeSpan.FromSeconds(20), "the gateway to route the model to the fake worker");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer")
        {
            Content = new StringContent("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", Encoding.UTF8, "application/json"),
            Headers = { { "X-Correlation-Id", "trace-model-error-1" } },
        };

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("/var/lib", body);
        Assert.DoesNotContain("Add node", body);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("the model failed to run on this input", error, StringComparison.Ordinal);
        Assert.Contains("trace-model-error-1", error);
    }

    /// <summary>A stand-in worker on the model's queue that rejects every request with ONNX Runtime-like text, and its heartbeat.</summary>
    private static async Task<WebApplication> RejectingWorkerAsync(string tenant, string model)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(TestInfrastructure.ServiceSettings());
        builder.AddOrbitDefaults("fake-worker");
        var app = builder.Build();
        await app.StartAsync();
        var handle = app.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(InferenceAddresses.Queue(tenant, model), (_, e) =>
            e.Handler<InferenceRequested>(c => c.RespondAsync(new InferenceRejected(c.Message.RequestId, c.Message.ModelName, RejectionReason.ModelError, Internal))));
        await handle.Ready;
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("fake-" + Guid.NewGuid().ToString("N")[..6], "test", "cpu", "cpu",
            [new LoadedModel(tenant, model, 1, "sha256:x", "cpu")], 0, 0, 0, 0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await redis.GetDatabase().StringSetAsync(RedisKeys.Worker(beat.WorkerId), JsonSerializer.Serialize(beat, new JsonSerializerOptions(JsonSerializerDefaults.Web)), TimeSpan.FromSeconds(30));
        return app;
    }
}
