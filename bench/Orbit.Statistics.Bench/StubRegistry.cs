using System.Net;
using System.Text;
using System.Text.Json;

namespace Orbit.Statistics.Bench;

/// <summary>
/// Stands in for the registry's version endpoint: the bench-mlp version with 32 numeric features, each with a
/// baseline of 9 edges, and a prediction baseline over its two classes (output y [batch,2], counted by argmax).
/// </summary>
internal sealed class StubRegistry : HttpMessageHandler
{
    public static readonly string VersionJson = JsonSerializer.Serialize(new
    {
        model = "bench-mlp",
        version = 1,
        digest = "sha256:" + new string('0', 64),
        sizeBytes = 0,
        status = "active",
        description = (string?)null,
        tags = Array.Empty<string>(),
        metadata = new
        {
            features = Enumerable.Range(0, 32).Select(i => new { name = $"f{i}", type = "numeric" }),
            baseline = new
            {
                features = Enumerable.Range(0, 32).ToDictionary(i => $"f{i}", _ => new
                {
                    binEdges = new[] { -1.28, -0.84, -0.52, -0.25, 0, 0.25, 0.52, 0.84, 1.28 },
                    counts = Enumerable.Repeat(100, 10),
                }),
                predictions = new { frequencies = new Dictionary<string, double> { ["0"] = 0.5, ["1"] = 0.5 } },
            },
        },
        signature = new
        {
            inputs = new[] { new { name = "x", datatype = "float", shape = new[] { "batch", "32" } } },
            outputs = new[] { new { name = "y", datatype = "float", shape = new[] { "batch", "2" } } },
            provider = "cpu",
        },
        createdAt = DateTimeOffset.UnixEpoch,
        createdBy = "bench",
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(request.RequestUri!.AbsolutePath == "/v1/tenants/bench/models/bench-mlp/versions/1"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(VersionJson, Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
}
