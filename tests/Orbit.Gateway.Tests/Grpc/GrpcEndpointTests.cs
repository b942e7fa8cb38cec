using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Tests.Support;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Grpc;

/// <summary>
/// The gRPC Open Inference Protocol endpoint against a real gateway and registry, with no worker: keys, roles,
/// tenancy, routing and every refusal a request can meet before a worker runs it, each under its gRPC code.
/// </summary>
public sealed class GrpcEndpointTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    private const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";

    [Fact]
    public async Task Liveness_and_readiness_answer_without_a_key()
    {
        var client = Client();

        var live = await client.ServerLiveAsync(new ServerLiveRequest());
        var ready = await client.ServerReadyAsync(new ServerReadyRequest());

        Assert.True(live.Live);
        Assert.True(ready.Ready);
    }

    [Fact]
    public async Task Server_metadata_answers_a_key_sent_as_x_api_key()
    {
        var key = await stack.TenantKeyAsync("viewer");

        var metadata = await Client().ServerMetadataAsync(new ServerMetadataRequest(), new Metadata { { "x-api-key", key } });

        Assert.Equal("orbit", metadata.Name);
        Assert.NotEmpty(metadata.Version);
    }

    [Fact]
    public async Task A_call_without_a_key_or_with_an_unknown_key_is_UNAUTHENTICATED()
    {
        var missing = await RefusalAsync(() => Client().ModelInferAsync(AddRequest("any")).ResponseAsync);
        var unknown = await RefusalAsync(() => Client().ModelInferAsync(AddRequest("any"), Bearer("orb_not-a-key")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("An API key is required", missing.Status.Detail);
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        Assert.Contains("not valid or has been revoked", unknown.Status.Detail);
    }

    [Fact]
    public async Task A_viewer_key_is_PERMISSION_DENIED_for_inference()
    {
        var viewer = Bearer(await stack.TenantKeyAsync("viewer"));

        var refused = await RefusalAsync(() => Client().ModelInferAsync(AddRequest("any"), viewer).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("needs 'predictor'", refused.Status.Detail);
    }

    [Fact]
    public async Task Metadata_of_a_deployed_model_speaks_OIP_datatypes_and_readiness_is_false_with_no_worker()
    {
        var key = await stack.TenantKeyAsync();
        var model = await DeployedModelAsync(key);

        var metadata = await Client().ModelMetadataAsync(new ModelMetadataRequest { Name = model }, Bearer(key));
        var ready = await Client().ModelReadyAsync(new ModelReadyRequest { Name = model, Version = "1" }, Bearer(key));

        Assert.Equal(model, metadata.Name);
        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal("onnxruntime_onnx", metadata.Platform);
        Assert.Equal(["x", "y"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal("FP32", metadata.Inputs[0].Datatype);
        Assert.Equal([3L, 4, 5], metadata.Inputs[0].Shape);
        Assert.Equal("sum", metadata.Outputs[0].Name);
        Assert.False(ready.Ready);
    }

    [Fact]
    public async Task An_unknown_model_another_tenants_model_and_an_undeployed_version_are_NOT_FOUND()
    {
        var owner = await stack.TenantKeyAsync();
        var stranger = Bearer(await stack.TenantKeyAsync());
        var model = await DeployedModelAsync(owner);
        var client = Client();

        var unknown = await RefusalAsync(() => client.ModelInferAsync(AddRequest("m-" + Guid.NewGuid().ToString("N")[..10]), Bearer(owner)).ResponseAsync);
        var version = await RefusalAsync(() => client.ModelInferAsync(AddRequest(model, version: "7"), Bearer(owner)).ResponseAsync);
        var otherInfer = await RefusalAsync(() => client.ModelInferAsync(AddRequest(model), stranger).ResponseAsync);
        var otherMetadata = await RefusalAsync(() => client.ModelMetadataAsync(new ModelMetadataRequest { Name = model }, stranger).ResponseAsync);
        var otherReady = await RefusalAsync(() => client.ModelReadyAsync(new ModelReadyRequest { Name = model }, stranger).ResponseAsync);

        Assert.All([unknown, version, otherInfer, otherMetadata, otherReady], e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
        Assert.Contains("version '7'", version.Status.Detail);
        Assert.Contains("not found or not deployed", otherInfer.Status.Detail);
    }

    [Fact]
    public async Task Malformed_requests_are_INVALID_ARGUMENT_naming_the_field()
    {
        var key = await stack.TenantKeyAsync();
        var model = await DeployedModelAsync(key);
        var cases = new (string Expected, Action<ModelInferRequest> Spoil)[]
        {
            ("raw_input_contents[0] for input 'x' has 236 bytes but its shape [3,4,5] of FP32 needs 240", r => r.RawInputContents[0] = ByteString.CopyFrom(new byte[236])),
            ("input 'x' has datatype 'FP99'; it must be one of BOOL,", r => r.Inputs[0].Datatype = "FP99"),
            ("'raw_input_contents' has 1 entries but there are 2 inputs", r => r.RawInputContents.RemoveAt(1)),
            ("input 'x' has shape dimension 1 that is not a size", r => r.Inputs[0].Shape[1] = -4),
            ("input 'y' is given twice", r => r.Inputs[0].Name = "y"),
            ("parameters.timeout must be an int64_param", r => r.Parameters["timeout"] = new InferParameter { StringParam = "soon" }),
            ("outputs[0] needs a 'name'", r => r.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor())),
            ("'inputs' must not be empty", r => { r.Inputs.Clear(); r.RawInputContents.Clear(); }),
            ("input 'x' has 'contents' and the request has 'raw_input_contents'", r => r.Inputs[0].Contents = new InferTensorContents { Fp32Contents = { 1f } }),
            ("input 'x' has no data: set its 'contents' or the request's 'raw_input_contents'", r => r.RawInputContents.Clear()),
        };

        foreach (var (expected, spoil) in cases)
        {
            var request = AddRequest(model);
            spoil(request);
            var refused = await RefusalAsync(() => Client().ModelInferAsync(request, Bearer(key)).ResponseAsync);
            Assert.True(refused.StatusCode == StatusCode.InvalidArgument && refused.Status.Detail.Contains(expected, StringComparison.Ordinal),
                $"expected INVALID_ARGUMENT with \"{expected}\", got {refused.StatusCode}: {refused.Status.Detail}");
        }
    }

    [Fact]
    public async Task Typed_contents_must_be_in_the_field_of_the_datatype_and_match_the_shape()
    {
        var key = await stack.TenantKeyAsync();
        var model = await DeployedModelAsync(key);
        var cases = new (string Expected, Action<ModelInferRequest.Types.InferInputTensor> Spoil)[]
        {
            ("input 'x' is FP32: its elements go in 'contents.fp32_contents', not 'contents.int_contents'", x => x.Contents.IntContents.Add(1)),
            ("input 'x' has 59 elements in 'contents.fp32_contents' but its shape [3,4,5] needs 60", x => x.Contents.Fp32Contents.RemoveAt(0)),
            ("input 'x' is FP16, which has no 'contents' field: send it in 'raw_input_contents'", x => x.Datatype = "FP16"),
            ("input 'x' element 0 (300) is not a valid INT8", x => { x.Datatype = "INT8"; x.Contents = new InferTensorContents { IntContents = { Enumerable.Repeat(300, 60) } }; }),
        };

        foreach (var (expected, spoil) in cases)
        {
            var request = TypedAddRequest(model);
            spoil(request.Inputs[0]);
            var refused = await RefusalAsync(() => Client().ModelInferAsync(request, Bearer(key)).ResponseAsync);
            Assert.True(refused.StatusCode == StatusCode.InvalidArgument && refused.Status.Detail.Contains(expected, StringComparison.Ordinal),
                $"expected INVALID_ARGUMENT with \"{expected}\", got {refused.StatusCode}: {refused.Status.Detail}");
        }
    }

    [Fact]
    public async Task With_no_live_worker_inference_is_UNAVAILABLE_and_counted_as_RESTs_503()
    {
        var key = await stack.TenantKeyAsync();
        var model = await DeployedModelAsync(key);

        var refused = await RefusalAsync(() => Client().ModelInferAsync(AddRequest(model), Bearer(key)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("no worker is serving version 1", refused.Status.Detail);
        using var http = stack.Client(key);
        var series = $"orbit_gateway_inference_duration_seconds_count{{code=\"503\",model=\"{model}\"";
        await Eventually.GetAsync(async () => (await http.GetStringAsync("/metrics")).Contains(series, StringComparison.Ordinal) ? "recorded" : null,
            TimeSpan.FromSeconds(15), "the gRPC call in the gateway's inference duration metric");
    }

    [Fact]
    public async Task A_worker_that_never_answers_is_DEADLINE_EXCEEDED_at_the_timeout_parameter()
    {
        var key = await stack.TenantKeyAsync();
        using var http = stack.Client(key);
        var tenant = (await http.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        var model = await DeployedModelAsync(key);
        await ClaimAWorkerServesAsync(tenant, model);
        await Eventually.GetAsync(async () => (await Client().ModelReadyAsync(new ModelReadyRequest { Name = model }, Bearer(key))).Ready ? "seen" : null,
            TimeSpan.FromSeconds(15), "the gateway to see the heartbeat");
        var request = AddRequest(model);
        request.Parameters["timeout"] = new InferParameter { Int64Param = 300 };

        // No client deadline: the status is the gateway's answer, not the client giving up.
        var refused = await RefusalAsync(() => Client().ModelInferAsync(request, Bearer(key)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, refused.StatusCode);
        Assert.Contains("within 300 ms", refused.Status.Detail);
    }

    [Fact]
    public async Task A_tenant_over_its_rate_is_RESOURCE_EXHAUSTED()
    {
        var key = await stack.TenantKeyAsync();
        var client = Client();

        RpcException? limited = null;
        for (var i = 0; i < 60 && limited is null; i++)
        {
            var refused = await RefusalAsync(() => client.ModelInferAsync(AddRequest("any"), Bearer(key)).ResponseAsync);
            limited = refused.StatusCode == StatusCode.ResourceExhausted ? refused : null;
        }

        Assert.NotNull(limited);
        Assert.Contains("over its request rate", limited!.Status.Detail);
    }

    [Fact]
    public async Task Tritons_further_methods_are_UNIMPLEMENTED()
    {
        var key = await stack.TenantKeyAsync("viewer");
        var bytes = Marshallers.Create(b => b, b => b);
        var modelConfig = new Method<byte[], byte[]>(MethodType.Unary, "inference.GRPCInferenceService", "ModelConfig", bytes, bytes);

        var refused = await RefusalAsync(() => stack.OpenGrpcChannel().CreateCallInvoker()
            .AsyncUnaryCall(modelConfig, null, new CallOptions(Bearer(key)), []).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
    }

    private GRPCInferenceService.GRPCInferenceServiceClient Client() => new(stack.OpenGrpcChannel());

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    /// <summary>test_add's request (x + y, FP32 [3,4,5]) with raw contents.</summary>
    private static ModelInferRequest AddRequest(string model, string version = "")
    {
        var request = new ModelInferRequest { ModelName = model, ModelVersion = version };
        foreach (var name in new[] { "x", "y" })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "FP32", Shape = { 3, 4, 5 } });
            request.RawInputContents.Add(ByteString.CopyFrom(new byte[240]));
        }

        return request;
    }

    private static ModelInferRequest TypedAddRequest(string model)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var name in new[] { "x", "y" })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
            {
                Name = name,
                Datatype = "FP32",
                Shape = { 3, 4, 5 },
                Contents = new InferTensorContents { Fp32Contents = { Enumerable.Range(0, 60).Select(i => (float)i) } },
            });
        }

        return request;
    }

    private static async Task<RpcException> RefusalAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    /// <summary>test_add pushed as version 1 of a new model of the key's tenant, deployed, and routed by the gateway.</summary>
    private async Task<string> DeployedModelAsync(string key)
    {
        using var http = stack.Client(key);
        var model = "m-" + Guid.NewGuid().ToString("N")[..10];
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(AddModel)), "file", "model.onnx" } };
        using (var pushed = await http.PostAsync($"/v1/models/{model}/versions", form))
        {
            Assert.True(pushed.StatusCode == HttpStatusCode.Created, await pushed.Content.ReadAsStringAsync());
        }

        (await http.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        await Eventually.GetAsync(async () => (await http.GetAsync($"/v2/models/{model}/ready")).IsSuccessStatusCode ? "routed" : null,
            TimeSpan.FromSeconds(15), "the gateway to learn of the deployment");
        return model;
    }

    /// <summary>A heartbeat as a worker would write it, for a worker that is not there to answer.</summary>
    private static async Task ClaimAWorkerServesAsync(string tenant, string model)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var beat = new WorkerHeartbeat("silent-" + Guid.NewGuid().ToString("N")[..6], "test", "cpu", "cpu",
            [new LoadedModel(tenant, model, 1, "sha256:x", "cpu")], 0, 0, 0, 0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        await redis.GetDatabase().StringSetAsync($"orbit:workers:{beat.WorkerId}", JsonSerializer.Serialize(beat, new JsonSerializerOptions(JsonSerializerDefaults.Web)), TimeSpan.FromSeconds(20));
    }
}
