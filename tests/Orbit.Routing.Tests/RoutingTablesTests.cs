using Orbit.Contracts.Models;

namespace Orbit.Routing.Tests;

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

        Assert.Equal(2, tables.Get("acme", "churn")!.StableVersion);
    }

    [Fact]
    public void Only_a_newer_revision_is_newer()
    {
        var tables = new RoutingTables();
        Assert.True(tables.IsNewer(Table(1, Route(1, 100))));

        tables.TryApply(Table(3, Route(1, 100)));

        Assert.False(tables.IsNewer(Table(2, Route(2, 100))));
        Assert.False(tables.IsNewer(Table(3, Route(2, 100))));
        Assert.True(tables.IsNewer(Table(4, Route(2, 100))));
    }

    [Fact]
    public void Tables_are_kept_per_tenant_and_model()
    {
        var tables = new RoutingTables();
        tables.TryApply(Table(1, Route(1, 100)));

        Assert.Null(tables.Get("acme", "other"));
        Assert.Null(tables.Get("other", "churn"));
        Assert.Single(tables.All);
    }
}
