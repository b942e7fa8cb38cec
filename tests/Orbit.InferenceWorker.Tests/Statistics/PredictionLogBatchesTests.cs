using Orbit.Contracts.Drift;
using Orbit.InferenceWorker.Statistics;
using static Orbit.InferenceWorker.Tests.Statistics.StatisticsTestData;

namespace Orbit.InferenceWorker.Tests.Statistics;

public sealed class PredictionLogBatchesTests
{
    private static readonly VersionProfile Profile = new(["x0"], [new FeatureColumn("x0", "x", 0)], [], null, false, null);

    [Fact]
    public void Logged_requests_are_gathered_into_one_entry_per_version_in_the_order_they_came()
    {
        var batches = new PredictionLogBatches(maxRows: 100);

        Assert.Null(batches.Add(Request("a", version: 3), Profile, Logged("a", 1)));
        Assert.Null(batches.Add(Request("b", version: 4), Profile, Logged("b", 1)));
        Assert.Null(batches.Add(Request("c", version: 3), Profile, Logged("c", 2)));
        var entries = batches.TakeAll();

        Assert.Equal(2, entries.Count);
        var three = entries.Single(e => e.ModelVersion == 3);
        Assert.Equal(("acme", "churn"), (three.TenantId, three.ModelName));
        Assert.Equal(["x0"], three.FeatureNames);
        Assert.Equal(["a", "c"], three.Requests.Select(r => r.RequestId));
        Assert.Equal(["b"], entries.Single(e => e.ModelVersion == 4).Requests.Select(r => r.RequestId));
        Assert.Empty(batches.TakeAll());
    }

    [Fact]
    public void An_entry_is_handed_out_as_soon_as_it_holds_its_rows_and_a_request_is_never_split()
    {
        var batches = new PredictionLogBatches(maxRows: 3);

        Assert.Null(batches.Add(Request("a"), Profile, Logged("a", 2)));
        var full = batches.Add(Request("b"), Profile, Logged("b", 2));
        Assert.Null(batches.Add(Request("c"), Profile, Logged("c", 1)));

        Assert.Equal(["a", "b"], full!.Requests.Select(r => r.RequestId));
        Assert.Equal([2, 2], full.Requests.Select(r => r.Rows.Count));
        Assert.Equal(["c"], Assert.Single(batches.TakeAll()).Requests.Select(r => r.RequestId));
    }

    private static ServedRequest Request(string id, int version = 3) =>
        Served([], [], new Dictionary<string, string> { ["request_id"] = id }) with { Version = version };

    private static LoggedRequest Logged(string id, int rows) =>
        new(id, DateTimeOffset.UnixEpoch, [.. Enumerable.Range(0, rows).Select(r => new LoggedRow([r], [0.5]))]);
}
