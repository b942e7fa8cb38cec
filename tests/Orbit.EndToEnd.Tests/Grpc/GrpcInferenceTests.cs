using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Grpc;

/// <summary>
/// The gateway's gRPC Open Inference Protocol endpoint through real processes (<c>./orbit up</c>): HTTP/2 without TLS
/// on its own port, a client generated from the gateway's .proto (C# here, Python from Debian's grpc_tools too),
/// answers equal to a direct ONNX Runtime run, and the refusals a client meets, under their gRPC codes.
/// </summary>
public sealed class GrpcInferenceTests : IClassFixture<InferencePlatform>, IDisposable
{
    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;
    private readonly GrpcChannel _channel;

    public GrpcInferenceTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
        _channel = GrpcChannel.ForAddress(platform.Platform.GatewayGrpc);
    }

    private string AdminKey => _platform.Platform.AdminKey;

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    [Fact]
    public async Task Raw_and_typed_contents_over_gRPC_equal_a_direct_ONNX_Runtime_run()
    {
        var model = await _platform.DeployAsync([21], "--stable 1");
        var path = Path.Combine(_platform.Models, "mlp-21.onnx");
        var random = new Random(21);

        for (var i = 0; i < 5; i++)
        {
            var row = Mlp.RandomRow(random);
            var expected = Mlp.RunDirect(path, row);

            var raw = await Client.ModelInferAsync(RawRequest(model, row, id: $"row-{i}"), Bearer(AdminKey));
            var typed = await Client.ModelInferAsync(TypedRequest(model, row), Bearer(AdminKey));

            Assert.Equal($"row-{i}", raw.Id);
            Assert.Equal("1", raw.ModelVersion);
            Assert.Equal("y", raw.Outputs[0].Name);
            Assert.Equal("FP32", raw.Outputs[0].Datatype);
            Assert.Equal([1L, Mlp.Outputs], raw.Outputs[0].Shape);
            Assert.Equal(expected, MemoryMarshal.Cast<byte, float>(raw.RawOutputContents[0].Span).ToArray());
            Assert.Null(raw.Outputs[0].Contents);
            Assert.StartsWith("inference-worker-", raw.Parameters["worker_id"].StringParam, StringComparison.Ordinal);
            Assert.Empty(typed.RawOutputContents);
            Assert.Equal(expected, typed.Outputs[0].Contents.Fp32Contents);
        }
    }

    [Fact]
    public async Task Liveness_readiness_and_metadata_answer_over_the_HTTP2_port()
    {
        var model = await _platform.DeployAsync([22], "--stable 1");

        var live = await Client.ServerLiveAsync(new ServerLiveRequest());
        var ready = await Client.ServerReadyAsync(new ServerReadyRequest());
        var modelReady = await Client.ModelReadyAsync(new ModelReadyRequest { Name = model }, Bearer(AdminKey));
        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = model, Version = "1" }, Bearer(AdminKey));

        Assert.True(live.Live);
        Assert.True(ready.Ready);
        Assert.True(modelReady.Ready);
        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal("x", metadata.Inputs[0].Name);
        Assert.Equal("FP32", metadata.Inputs[0].Datatype);
        Assert.Equal([-1L, Mlp.Features], metadata.Inputs[0].Shape);
        Assert.Equal([-1L, Mlp.Outputs], metadata.Outputs[0].Shape);
    }

    [Fact]
    public async Task Refusals_carry_their_gRPC_codes_a_missing_key_an_unknown_or_foreign_model_a_wrong_size_a_bad_datatype()
    {
        var model = await _platform.DeployAsync([23], "--stable 1");
        var row = Mlp.RandomRow(new Random(23));
        var stranger = await StrangerKeyAsync();
        var shortRaw = RawRequest(model, row);
        shortRaw.RawInputContents[0] = ByteString.CopyFrom(new byte[28]);
        var badDatatype = RawRequest(model, row);
        badDatatype.Inputs[0].Datatype = "FLOAT";

        var missingKey = await RefusalAsync(() => Client.ModelInferAsync(RawRequest(model, row)).ResponseAsync);
        var unknown = await RefusalAsync(() => Client.ModelInferAsync(RawRequest("no-such-model", row), Bearer(AdminKey)).ResponseAsync);
        var foreign = await RefusalAsync(() => Client.ModelInferAsync(RawRequest(model, row), Bearer(stranger)).ResponseAsync);
        var wrongSize = await RefusalAsync(() => Client.ModelInferAsync(shortRaw, Bearer(AdminKey)).ResponseAsync);
        var wrongType = await RefusalAsync(() => Client.ModelInferAsync(badDatatype, Bearer(AdminKey)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missingKey.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, wrongSize.StatusCode);
        Assert.Contains("raw_input_contents[0] for input 'x' has 28 bytes but its shape [1,8] of FP32 needs 32", wrongSize.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, wrongType.StatusCode);
        Assert.Contains("input 'x' has datatype 'FLOAT'", wrongType.Status.Detail);
    }

    [Fact]
    public async Task A_Python_client_generated_by_Debians_grpc_tools_gets_the_direct_run_answer()
    {
        var model = await _platform.DeployAsync([24], "--stable 1");
        var row = Mlp.RandomRow(new Random(24));
        var expected = Mlp.RunDirect(Path.Combine(_platform.Models, "mlp-24.onnx"), row);
        var script = Path.Combine(RepositoryRoot.Path, "docs", "examples", "infer_grpc.py");
        var environment = new Dictionary<string, string>
        {
            ["ORBIT_GRPC"] = $"127.0.0.1:{_platform.Platform.GatewayGrpc.Port}",
            ["ORBIT_KEY"] = AdminKey,
            ["ORBIT_MODEL"] = model,
            ["ORBIT_ROW"] = JsonSerializer.Serialize(row),
        };

        // Debian's python3 (not a pyenv shim), with python3-grpcio and python3-grpc-tools from ./orbit deps.
        var result = await Shell.RunAsync("/usr/bin/python3", script, RepositoryRoot.Path, environment, TimeSpan.FromSeconds(120));
        _output.WriteLine($"$ /usr/bin/python3 infer_grpc.py (exit {result.ExitCode})\n{result.Output}");

        Assert.True(result.ExitCode == 0, result.Output);
        var answer = JsonDocument.Parse(result.Output.Split('\n').Last(l => l.TrimStart().StartsWith('{'))).RootElement;
        Assert.Equal("1", answer.GetProperty("model_version").GetString());
        Assert.Equal(expected, answer.GetProperty("outputs").GetProperty("y").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(expected, answer.GetProperty("typed").EnumerateArray().Select(v => v.GetSingle()));
    }

    public void Dispose() => _channel.Dispose();

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    private static ModelInferRequest RawRequest(string model, float[] row, string id = "")
    {
        var request = new ModelInferRequest { ModelName = model, Id = id };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Shape = { 1, row.Length } });
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(row.AsSpan())));
        return request;
    }

    private static ModelInferRequest TypedRequest(string model, float[] row)
    {
        var request = new ModelInferRequest { ModelName = model };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
        {
            Name = "x",
            Datatype = "FP32",
            Shape = { 1, row.Length },
            Contents = new InferTensorContents { Fp32Contents = { row } },
        });
        return request;
    }

    private static async Task<RpcException> RefusalAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    private async Task<string> StrangerKeyAsync()
    {
        using var admin = new HttpClient { BaseAddress = _platform.Platform.Gateway };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new { id = tenant })).EnsureSuccessStatusCode();
        var created = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "predictor", tenantId = tenant })).Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("key").GetString()!;
    }
}
