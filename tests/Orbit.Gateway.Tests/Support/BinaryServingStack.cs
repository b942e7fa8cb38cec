extern alias worker;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Orbit.Contracts.Registry;
using Orbit.Testing;

namespace Orbit.Gateway.Tests.Support;

/// <summary>
/// A <see cref="GatewayStack"/> with a real inference worker in the test process serving two models of a tenant of
/// its own: ONNX's <c>test_add</c> (x, y FP32[3,4,5] → sum) and <c>test_cast_STRING_to_FLOAT</c> (input BYTES[3,4] →
/// output FP32). The worker serves only these, so it never answers for another test class's models on the shared broker.
/// </summary>
public sealed class BinaryServingStack : IAsyncLifetime
{
    public const string AddModelPath = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    public const string CastModelPath = "/usr/share/libonnx-testdata/data/node/test_cast_STRING_to_FLOAT/model.onnx";

    private readonly string _data = Directory.CreateTempSubdirectory("orbit-binary-worker-").FullName;
    private OrbitServiceFactory<worker::Program>? _worker;

    // One tenant's requests for every test of the class: its rate is raised so that none is refused as over it.
    public GatewayStack Stack { get; } = new(new Dictionary<string, string?>
    {
        ["Orbit:Gateway:RateLimitPerSecond"] = "1000",
        ["Orbit:Gateway:RateLimitBurst"] = "1000",
    });

    public string Key { get; private set; } = "";

    public string AddModel { get; } = "add-" + Guid.NewGuid().ToString("N")[..8];

    public string CastModel { get; } = "cast-" + Guid.NewGuid().ToString("N")[..8];

    public HttpClient Client(string? key) => Stack.Client(key);

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        Key = await Stack.TenantKeyAsync();
        using var client = Stack.Client(Key);
        var tenant = (await client.GetFromJsonAsync<CallerIdentity>("/v1/auth/whoami"))!.TenantId;
        foreach (var (model, path) in new[] { (AddModel, AddModelPath), (CastModel, CastModelPath) })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", "model.onnx" } };
            using var pushed = await client.PostAsync($"/v1/models/{model}/versions", form);
            Assert.True(pushed.StatusCode == HttpStatusCode.Created, await pushed.Content.ReadAsStringAsync());
            (await client.PutAsJsonAsync($"/v1/models/{model}/deployment", new SetDeployment(1))).EnsureSuccessStatusCode();
        }

        _worker = new OrbitServiceFactory<worker::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = _data,
            ["Orbit:Worker:RegistryUrl"] = Stack.RegistryUrl.ToString(),
            ["Orbit:Worker:RegistryKey"] = GatewayStack.AdminKey,
            ["Orbit:Worker:HeartbeatSeconds"] = "1",
            ["Orbit:Worker:Models:0"] = $"{tenant}/{AddModel}",
            ["Orbit:Worker:Models:1"] = $"{tenant}/{CastModel}",
        });
        _ = _worker.Server;
        const string Add = """{"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[DATA]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[DATA]}]}""";
        var body = Add.Replace("DATA", string.Join(",", Enumerable.Range(0, 60)), StringComparison.Ordinal);
        await Eventually.GetAsync(async () =>
        {
            using var response = await client.PostAsync($"/v2/models/{AddModel}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            return response.StatusCode == HttpStatusCode.OK ? "served" : null;
        }, TimeSpan.FromSeconds(60), "the worker to serve the add model");
        await Eventually.GetAsync(async () => (await client.GetStringAsync($"/v2/models/{CastModel}/ready")).Contains("\"ready\":true", StringComparison.Ordinal) ? "ready" : null,
            TimeSpan.FromSeconds(60), "the worker to serve the cast model");
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await Stack.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
