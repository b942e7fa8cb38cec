using System.Text.Json;
using Orbit.Gateway.Predictions;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Tests.Predictions;

public sealed class IngressKeyTests
{
    [Fact]
    public void The_key_is_x_api_key_else_a_bearer_authorization_in_any_case()
    {
        Assert.Equal("k1", PredictionIngressConsumer.ReadKey([("Authorization", "Bearer k2"), ("X-Api-Key", " k1 ")]));
        Assert.Equal("k2", PredictionIngressConsumer.ReadKey([("authorization", "bearer k2")]));
        Assert.Null(PredictionIngressConsumer.ReadKey([("authorization", "Basic abc"), ("x-api-key", "")]));
    }

    [Fact]
    public void A_body_naming_another_tenant_than_the_keys_is_refused()
    {
        var caller = new Caller("key1", "acme", Role.Predictor);
        using var own = JsonDocument.Parse("""{"tenantId":"acme"}""");
        using var other = JsonDocument.Parse("""{"tenantId":"globex"}""");

        PredictionIngressConsumer.CheckTenant(own.RootElement, caller);
        var refused = Assert.Throws<MessageValidationException>(() => PredictionIngressConsumer.CheckTenant(other.RootElement, caller));

        Assert.Equal("tenantId", refused.Field);
    }
}
