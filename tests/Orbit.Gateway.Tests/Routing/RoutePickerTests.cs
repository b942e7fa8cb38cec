using Orbit.Contracts.Models;
using Orbit.Gateway.Routing;

namespace Orbit.Gateway.Tests.Routing;

public sealed class RoutePickerTests
{
    private static readonly DeploymentRoute[] NinetyTen = [new(1, 90, "sha256:a"), new(2, 10, "sha256:b")];

    [Fact]
    public void Weights_split_traffic_in_proportion()
    {
        var picks = Enumerable.Range(0, 20_000).Select(_ => RoutePicker.Pick(NinetyTen, null)).ToList();

        var share = picks.Count(v => v == 2) / (double)picks.Count;
        Assert.InRange(share, 0.08, 0.12);
    }

    [Fact]
    public void A_routing_key_always_lands_on_the_same_version()
    {
        var versions = Enumerable.Range(0, 200).Select(i => $"customer-{i}")
            .Select(key => (First: RoutePicker.Pick(NinetyTen, key), Again: RoutePicker.Pick(NinetyTen, key)))
            .ToList();

        Assert.All(versions, v => Assert.Equal(v.First, v.Again));
        Assert.Contains(versions, v => v.First == 2);
        Assert.Contains(versions, v => v.First == 1);
    }

    [Fact]
    public void The_routing_hash_is_stable_across_processes() =>
        Assert.Equal(0x104faef1u, RoutePicker.Fnv1a("customer-7"));

    [Fact]
    public void A_candidate_at_weight_0_gets_nothing() =>
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal(1, RoutePicker.Pick([new(1, 100, "a"), new(2, 0, "b")], null)));

    [Fact]
    public void An_older_revision_never_replaces_a_newer_one()
    {
        var table = new RoutingTable();
        var newer = Change(revision: 5, stable: 2);

        Assert.True(table.Apply(newer));
        Assert.False(table.Apply(Change(revision: 4, stable: 1)));
        Assert.Equal(2, table.Get("acme", "churn")!.StableVersion);
    }

    private static DeploymentChanged Change(long revision, int stable) =>
        new("acme", "churn", revision, stable, null, 0, DeploymentStrategy.Manual, [new(stable, 100, "sha256:x")], DateTimeOffset.UtcNow, "key:x", "set");
}
