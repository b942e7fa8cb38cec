using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orbit.Gateway.Inference;

/// <summary>Inference as the gateway sees it, per tenant, model, version and answer; and how many requests share a bus message.</summary>
internal sealed class GatewayMetrics
{
    public const string VersionItem = "orbit.version";

    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _coalesced;

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
