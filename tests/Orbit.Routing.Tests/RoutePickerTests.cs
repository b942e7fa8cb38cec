using Orbit.Contracts.Models;

namespace Orbit.Routing.Tests;

public sealed class RoutePickerTests
{
    private static readonly DeploymentRoute[] NinetyTen = [new(1, 90, "sha256:a"), new(2, 10, "sha256:b")];

    [Fact]
    public void Weights_split_traffic_in_proportion()
    {
        var picks = Enumerable.Range(0, 20_000).Select(_ => RoutePicker.Pick(NinetyTen, null)!.Version).ToList();

        var share = picks.Count(v => v == 2) / (double)picks.Count;
        Assert.InRange(share, 0.08, 0.12);
    }

    [Fact]
    public void A_version_no_worker_serves_yet_gives_its_share_to_the_served_ones()
    {
        var fiftyFifty = new DeploymentRoute[] { new(1, 50, "sha256:a"), new(2, 50, "sha256:b") };

        var picks = Enumerable.Range(0, 2_000).Select(i => RoutePicker.PickServed(fiftyFifty, i % 2 == 0 ? null : $"k-{i}", v => v == 1)!.Version);

        Assert.All(picks, v => Assert.Equal(1, v));
        Assert.Contains(Enumerable.Range(0, 200), i => RoutePicker.PickServed(fiftyFifty, null, _ => true)!.Version == 2);
    }

    [Fact]
    public void When_no_routed_version_is_served_the_plain_pick_is_returned_for_the_caller_to_refuse() =>
        Assert.Equal(2, RoutePicker.PickServed([new(2, 100, "sha256:b")], null, _ => false)!.Version);

    [Fact]
    public void A_routing_key_always_lands_on_the_same_version()
    {
        var versions = Enumerable.Range(0, 200).Select(i => $"customer-{i}")
            .Select(key => (First: RoutePicker.Pick(NinetyTen, key)!.Version, Again: RoutePicker.Pick(NinetyTen, key)!.Version))
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
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal(1, RoutePicker.Pick([new(1, 100, "a"), new(2, 0, "b")], null)!.Version));

    [Fact]
    public void Routes_that_all_weigh_0_take_no_traffic()
    {
        Assert.Null(RoutePicker.Pick([new(1, 0, "a")], null));
        Assert.Null(RoutePicker.Pick([new(1, 0, "a"), new(2, 0, "b")], "key"));
        Assert.Null(RoutePicker.Pick([], null));
    }

    [Fact]
    public void A_named_version_is_found_only_when_routed()
    {
        Assert.Equal("sha256:b", RoutePicker.Find(NinetyTen, 2)!.Digest);
        Assert.Null(RoutePicker.Find(NinetyTen, 3));
    }
}
