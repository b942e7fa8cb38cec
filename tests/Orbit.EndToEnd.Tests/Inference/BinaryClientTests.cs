using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// <c>./orbit up --workers 2</c>: the OIP binary tensor data extension from a plain Python client, the very file
/// docs/examples/infer_binary.py, which builds the request by hand (standard library and numpy only), and the
/// extension's refusals from the real gateway.
/// </summary>
public sealed class BinaryClientTests : IClassFixture<InferencePlatform>
{
    private const string Example = "infer_binary.py";
    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;

    public BinaryClientTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        platform.Platform.Output = output;
    }

    [Fact]
    public async Task The_Python_example_sends_an_MLP_row_as_binary_and_gets_what_ONNX_Runtime_gives_directly()
    {
        var model = await _platform.DeployAsync([21], "--stable 1");
        var row = Mlp.RandomRow(new Random(21));
        var input = Npy.Write(Path.Combine(_platform.Models, "row-21.npy"), row, [1, Mlp.Features]);

        var answer = await RunExampleAsync(model, $"x={input}");

        var output = answer.GetProperty("outputs")[0];
        Assert.Equal([1L, Mlp.Outputs], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(Mlp.RunDirect(Path.Combine(_platform.Models, "mlp-21.onnx"), row), Floats(output));
    }

    [Fact]
    public async Task The_Python_example_sends_a_224x224x3_FP32_image_as_binary_and_gets_what_ONNX_Runtime_gives_directly()
    {
        var path = ImageConv.Write(_platform.Models);
        var model = await _platform.DeployFileAsync(path, "conv224");
        var image = ImageConv.RandomImage(new Random(224));
        var input = Npy.Write(Path.Combine(_platform.Models, "image.npy"), image, ImageConv.Shape);

        var answer = await RunExampleAsync(model, $"x={input}");

        var output = answer.GetProperty("outputs")[0];
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal(ImageConv.RunDirect(path, image), Floats(output));
    }

    [Fact]
    public async Task The_real_gateway_refuses_a_bad_header_length_a_size_the_shape_contradicts_an_unknown_model_and_a_missing_key()
    {
        var model = await _platform.DeployAsync([22], "--stable 1");
        var key = _platform.Platform.AdminKey;
        const string Header = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,8],"parameters":{"binary_data_size":32}}]}""";

        var badLength = await SendAsync(model, Header, 32, key, headerLength: "32x");
        var badSize = await SendAsync(model, Header.Replace("32}", "28}", StringComparison.Ordinal), 28, key);
        var unknown = await SendAsync("no-such-model", Header, 32, key);
        var keyless = await SendAsync(model, Header, 32, null);
        var good = await SendAsync(model, Header, 32, key);

        Assert.Equal((HttpStatusCode.BadRequest, "Inference-Header-Content-Length '32x' is not a number of bytes"), badLength);
        Assert.Equal((HttpStatusCode.BadRequest, "input 'x' has binary_data_size 28 but its shape [1,8] of FP32 takes 32 bytes (8 × 4)"), badSize);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.Status);
        Assert.Equal(HttpStatusCode.OK, good.Status);
    }

    /// <summary>Runs the documented example with Debian's python3 and returns the JSON line it printed.</summary>
    private async Task<JsonElement> RunExampleAsync(string model, string arguments)
    {
        var script = Path.Combine(RepositoryRoot.Path, "docs", "examples", Example);
        var result = await Shell.RunAsync("/usr/bin/python3", $"{script} {arguments}", RepositoryRoot.Path, new Dictionary<string, string>
        {
            ["ORBIT_URL"] = _platform.Platform.Gateway.ToString(),
            ["ORBIT_KEY"] = _platform.Platform.AdminKey,
            ["ORBIT_MODEL"] = model,
        }, TimeSpan.FromSeconds(120));
        var shown = result.Output.Length > 2000 ? result.Output[..2000] + "…" : result.Output;
        _output.WriteLine($"$ python3 {Example} {arguments} (exit {result.ExitCode})\n{shown}");
        Assert.True(result.ExitCode == 0, shown);
        return JsonDocument.Parse(result.Output.Split('\n').Last(l => l.TrimStart().StartsWith('{'))).RootElement.Clone();
    }

    /// <summary>A binary request of the given header and that many zero bytes of tensor data; the answer's status and OIP error.</summary>
    private async Task<(HttpStatusCode Status, string? Error)> SendAsync(string model, string header, int tensorBytes, string? key, string? headerLength = null)
    {
        using var http = new HttpClient { BaseAddress = _platform.Platform.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        var json = Encoding.UTF8.GetBytes(header);
        using var content = new ByteArrayContent([.. json, .. new byte[tensorBytes]]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer") { Content = content };
        request.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength ?? json.Length.ToString(CultureInfo.InvariantCulture));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var error = response.StatusCode == HttpStatusCode.OK ? null : JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        return (response.StatusCode, error);
    }

    private static float[] Floats(JsonElement output) => output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
