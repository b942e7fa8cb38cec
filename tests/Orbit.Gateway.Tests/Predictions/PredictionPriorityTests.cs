using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Gateway.Predictions;

namespace Orbit.Gateway.Tests.Predictions;

public sealed class PredictionPriorityTests
{
    private static readonly PredictionOptions Options = new() { TenantMaxPriority = { ["fast"] = InferencePriority.RealTime } };

    [Theory]
    [InlineData("acme", null, InferencePriority.Asynchronous)]
    [InlineData("acme", 9, InferencePriority.Asynchronous)]
    [InlineData("acme", 1, InferencePriority.Batch)]
    [InlineData("acme", 0, InferencePriority.Batch)]
    [InlineData("fast", 9, InferencePriority.RealTime)]
    [InlineData("fast", null, InferencePriority.Asynchronous)]
    public void A_tenant_may_lower_its_priority_but_not_raise_it_above_its_allowance(string tenant, int? requested, int expected) =>
        Assert.Equal(expected, PredictionPriority.Effective(requested, tenant, Options));

    [Fact]
    public void Asynchronous_work_travels_on_the_models_async_queue_and_real_time_work_on_its_own()
    {
        Assert.Equal("infer.acme.churn.async", InferenceAddresses.QueueFor("acme", "churn", InferencePriority.Asynchronous));
        Assert.Equal("infer.acme.churn.async", InferenceAddresses.QueueFor("acme", "churn", InferencePriority.Batch));
        Assert.Equal("infer.acme.churn", InferenceAddresses.QueueFor("acme", "churn", InferencePriority.RealTime));
    }
}
