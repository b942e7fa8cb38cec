using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orbit.Gateway.Inference;

/// <summary>Inference as the gateway sees it, per tenant, model, version and answer; and how many requests share a bus message.</summary>
internal sealed class GatewayMetrics
{
    public const string VersionItem = "orbit.version";

    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _coalesced;
    private readonly Counter<long> _mirrors;
    private readonly Counter<long> _shadowRows;
    private readonly Counter<long> _shadowValues;
    private readonly Counter<double> _shadowAbsDiff;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Orbit.Gateway");
        // Prometheus names: orbit_gateway_inference_duration_seconds, orbit_gateway_requests_per_message.
        _duration = meter.CreateHistogram<double>("orbit.gateway.inference.duration", unit: "s",
            description: "Inference requests from receipt to answer, by tenant, model, version and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10] });
        _coalesced = meter.CreateHistogram<int>("orbit.gateway.requests_per_message", unit: "{request}",
            description: "Inference requests carried by one bus message (more than one when coalesced under load).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        // orbit_gateway_shadow_mirrors_total, orbit_gateway_shadow_rows_total, orbit_gateway_shadow_values_total, orbit_gateway_shadow_abs_diff_total.
        _mirrors = meter.CreateCounter<long>("orbit.gateway.shadow.mirrors", unit: "{request}",
            description: "Requests mirrored to a shadow version, by outcome: compared, incomparable, shadow_error, stable_error, skipped (too many in flight), not_served.");
        _shadowRows = meter.CreateCounter<long>("orbit.gateway.shadow.rows", unit: "{row}",
            description: "Rows whose labels were compared between stable and shadow, by agreement: agreed or disagreed.");
        _shadowValues = meter.CreateCounter<long>("orbit.gateway.shadow.values", unit: "{value}",
            description: "Numeric output values compared between stable and shadow.");
        _shadowAbsDiff = meter.CreateCounter<double>("orbit.gateway.shadow.abs_diff",
            description: "Sum of |stable - shadow| over compared numeric output values (divide by orbit_gateway_shadow_values_total for the mean).");
    }

    public void Mirrored(string tenant, string model, string outcome) =>
        _mirrors.Add(1, new TagList { { "tenant", tenant }, { "model", model }, { "outcome", outcome } });

    public void Compared(string tenant, string model, long rows, long agreed, long values, double absDiffSum)
    {
        var tags = new TagList { { "tenant", tenant }, { "model", model } };
        if (rows > 0)
        {
            _shadowRows.Add(agreed, [.. tags, new("agreement", "agreed")]);
            _shadowRows.Add(rows - agreed, [.. tags, new("agreement", "disagreed")]);
        }

        if (values > 0)
        {
            _shadowValues.Add(values, tags);
            _shadowAbsDiff.Add(absDiffSum, tags);
        }
    }

    public void Answered(string tenant, string model, int? version, int status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "tenant", tenant },
            { "model", model },
            { "version", version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "" },
            { "code", status },
        };
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void Sent(int requests) => _coalesced.Record(requests);
}
