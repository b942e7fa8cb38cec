using System.Text.Json;
using Orbit.Contracts.Drift;
using Orbit.Hosting.Streams;

namespace Orbit.Hosting.Tests.Streams;

/// <summary>The prediction log's two forms read as one type: a batch as the workers write it, and one request as older workers and other publishers do.</summary>
public sealed class PredictionLogEntryTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_batched_entry_reads_back_as_its_requests_with_their_ids_times_and_features()
    {
        var batch = new PredictionsLogged("acme", "churn", 3, ["x0", "x1"],
        [
            new LoggedRequest("a", At, [new LoggedRow([1, double.NaN], [0.2, 0.8], "yes")]),
            new LoggedRequest("b", At.AddSeconds(1), [new LoggedRow([3, 4], [0.9, 0.1], "no"), new LoggedRow([5, 6], [0.4, 0.6], "yes")]),
        ]);

        var entry = RoundTrip(batch);

        Assert.True(entry.TryExpand(out var requests, out var error), error);
        Assert.Equal(["a", "b"], requests.Select(r => r.RequestId));
        Assert.All(requests, r => Assert.Equal(("acme", "churn", 3), (r.TenantId, r.ModelName, r.ModelVersion)));
        Assert.All(requests, r => Assert.Equal(["x0", "x1"], r.FeatureNames));
        Assert.Equal([At, At.AddSeconds(1)], requests.Select(r => r.At));
        Assert.Equal(1, requests[0].Rows[0].Features[0]);
        Assert.True(double.IsNaN(requests[0].Rows[0].Features[1]));
        Assert.Equal([5.0, 6], requests[1].Rows[1].Features);
        Assert.Equal("yes", requests[1].Rows[1].Label);
    }

    [Fact]
    public void A_per_request_entry_reads_back_as_one_request()
    {
        var entry = RoundTrip(new PredictionLogged("client-7", "acme", "churn", 3, ["x0"], [new LoggedRow([12], [0.81, 0.19], "stayed")], At));

        Assert.True(entry.TryExpand(out var requests, out var error), error);
        var request = Assert.Single(requests);
        Assert.Equal(("client-7", At, 12.0), (request.RequestId, request.At, request.Rows[0].Features[0]));
    }

    [Theory]
    [InlineData("""{"tenantId":"acme","modelName":"churn","modelVersion":3,"featureNames":[],"rows":[]}""", "requestId, rows and at")]
    [InlineData("""{"tenantId":"acme","modelName":"churn","modelVersion":0,"featureNames":[],"requests":[]}""", "modelVersion")]
    [InlineData("""{"tenantId":"acme","modelName":"churn","modelVersion":3,"featureNames":[],"requestId":"r","requests":[]}""", "not both")]
    [InlineData("""{"tenantId":"acme","modelName":"churn","modelVersion":3,"featureNames":[],"requests":[{"requestId":" ","at":"2026-11-30T08:00:00Z","rows":[]}]}""", "requests[0]")]
    public void An_incomplete_entry_says_what_it_lacks(string json, string expected)
    {
        var entry = JsonSerializer.Deserialize<PredictionLogEntry>(json, StreamJson.Options)!;

        Assert.False(entry.TryExpand(out var requests, out var error));
        Assert.Empty(requests);
        Assert.Contains(expected, error);
    }

    private static PredictionLogEntry RoundTrip<T>(T message) =>
        JsonSerializer.Deserialize<PredictionLogEntry>(JsonSerializer.SerializeToUtf8Bytes(message, StreamJson.Options), StreamJson.Options)!;
}
