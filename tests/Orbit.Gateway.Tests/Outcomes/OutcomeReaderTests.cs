using System.Text.Json;
using Orbit.Gateway.Outcomes;

namespace Orbit.Gateway.Tests.Outcomes;

public sealed class OutcomeReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_single_outcome_takes_the_callers_tenant_and_defaults_its_row_and_time()
    {
        var (outcomes, field, _) = Read("""{"requestId":"r-1","model":"churn","label":"leave"}""");

        Assert.Null(field);
        var outcome = Assert.Single(outcomes!);
        Assert.Equal(("r-1", "acme", "churn", 0, "leave", (double?)null, Now), (outcome.RequestId, outcome.TenantId, outcome.ModelName, outcome.Row, outcome.Label, outcome.Value, outcome.ObservedAt));
    }

    [Fact]
    public void An_array_of_outcomes_is_read_in_order()
    {
        var (outcomes, _, _) = Read("""[{"requestId":"a","model":"m","row":2,"value":3.5,"observedAt":"2026-11-29T10:00:00Z"},{"requestId":"b","model":"m","label":1}]""");

        Assert.Equal(2, outcomes!.Count);
        Assert.Equal((2, 3.5, new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero)), (outcomes[0].Row, outcomes[0].Value!.Value, outcomes[0].ObservedAt));
        Assert.Equal("1", outcomes[1].Label);
    }

    [Theory]
    [InlineData("""{"model":"m","label":"x"}""", "requestId")]
    [InlineData("""{"requestId":"","model":"m","label":"x"}""", "requestId")]
    [InlineData("""{"requestId":"r","label":"x"}""", "model")]
    [InlineData("""{"requestId":"r","model":"no spaces","label":"x"}""", "model")]
    [InlineData("""{"requestId":"r","model":"m"}""", "label")]
    [InlineData("""{"requestId":"r","model":"m","label":"x","value":1}""", "label")]
    [InlineData("""{"requestId":"r","model":"m","value":"high"}""", "value")]
    [InlineData("""{"requestId":"r","model":"m","label":"x","row":-1}""", "row")]
    [InlineData("""{"requestId":"r","model":"m","label":"x","observedAt":"yesterday"}""", "observedAt")]
    [InlineData("""{"requestId":"r","model":"m","label":"x","tenantId":"other"}""", "tenantId")]
    [InlineData("""[{"requestId":"r","model":"m","label":"x"},{"requestId":"r","model":"m"}]""", "[1].label")]
    [InlineData("""[]""", "body")]
    [InlineData("""[1]""", "[0]")]
    [InlineData("""42""", "body")]
    public void A_bad_outcome_names_its_field(string body, string expected)
    {
        var (outcomes, field, problem) = Read(body);

        Assert.Null(outcomes);
        Assert.Equal(expected, field);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    private static (List<Orbit.Contracts.Drift.OutcomeObserved>? Outcomes, string? Field, string? Problem) Read(string json) =>
        OutcomeReader.Read(JsonDocument.Parse(json).RootElement, "acme", Now, maxOutcomes: 100);
}
