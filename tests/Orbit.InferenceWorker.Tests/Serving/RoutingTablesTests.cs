using Orbit.Contracts.Models;
using Orbit.InferenceWorker.Serving;

namespace Orbit.InferenceWorker.Tests.Serving;

public sealed class RoutingTablesTests
{
    private static DeploymentChanged Table(long revision, params DeploymentRoute[] routes) =>
        new("acme", "churn", revision, routes.FirstOrDefault()?.Version, null, 0, DeploymentStrategy.Manual, routes,
            DateTimeOffset.UtcNow, "key:1", "test");

    private static DeploymentRoute Route(int version, int weight) => new(version, weight, "sha256:" + new string((char)('0' + version), 64));

    [Fact]
    public void A_revision_older_than_the_applied_one_is_ignored()
    {
        var tables = new RoutingTables();

        Assert.True(tables.TryApply(Table(5, Route(2, 100))));
        Assert.False(tables.TryApply(Table(4, Route(1, 100))));
        Assert.False(tables.TryApply(Table(5, Route(1, 100))));

        Assert.Equal(2, tables.Resolve("acme", "churn", null)!.Version);
    }

    [Fact]
    public void A_version_not_in_the_routes_resolves_to_nothing()
    {
        var tables = new RoutingTables();
        tables.TryApply(Table(1, Route(1, 90), Route(2, 10)));

        Assert.Equal(2, tables.Resolve("acme", "churn", 2)!.Version);
        Assert.Null(tables.Resolve("acme", "churn", 3));
        Assert.Null(tables.Resolve("acme", "other", 1));
    }

    [Fact]
    public void Without_a_version_the_route_is_drawn_by_weight()
    {
        var tables = new RoutingTables();
        tables.TryApply(Table(1, Route(1, 0), Route(2, 100)));

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(2, tables.Resolve("acme", "churn", null)!.Version));
    }

    [Fact]
    public void Empty_routes_mean_the_model_is_not_deployed()
    {
        var tables = new RoutingTables();
        tables.TryApply(Table(1, Route(1, 100)));
        tables.TryApply(Table(2));

        Assert.Null(tables.Resolve("acme", "churn", 1));
    }
}
