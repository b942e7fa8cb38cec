using System.Diagnostics.Metrics;
using Orbit.Contracts.Inference;

namespace Orbit.InferenceWorker.Metrics;

/// <summary>The worker's instruments (Meter <c>Orbit.Inference</c>), exposed at <c>/metrics</c> by Orbit.Hosting.</summary>
internal sealed class InferenceMetrics
{
    public const string MeterName = "Orbit.Inference";

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _computeDuration;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _errors;

    public InferenceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        // Prometheus names: orbit_inference_{request,compute,queue}_duration_seconds, orbit_inference_batch_size, orbit_inference_errors_total.
        _requestDuration = meter.CreateHistogram<double>("orbit.inference.request.duration", "s",
            "Time from receiving an inference request to answering it");
        _computeDuration = meter.CreateHistogram<double>("orbit.inference.compute.duration", "s",
            "Time one batch spent in ONNX Runtime");
        _queueDuration = meter.CreateHistogram<double>("orbit.inference.queue.duration", "s",
            "Time a request waited on the worker before its batch ran");
        _batchSize = meter.CreateHistogram<int>("orbit.inference.batch_size", unit: "{request}",
            "Requests merged into one ONNX Runtime run", tags: null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _errors = meter.CreateCounter<long>("orbit.inference.errors", unit: "{request}",
            "Inference requests answered with InferenceRejected, by reason");
    }

    public void RequestCompleted(ModelTags model, TimeSpan duration) =>
        _requestDuration.Record(duration.TotalSeconds, model.Tenant, model.Model, model.Version);

    public void BatchRun(ModelTags model, int requests, TimeSpan compute)
    {
        _computeDuration.Record(compute.TotalSeconds, model.Tenant, model.Model, model.Version);
        _batchSize.Record(requests, model.Tenant, model.Model, model.Version);
    }

    public void Queued(ModelTags model, TimeSpan waited) =>
        _queueDuration.Record(waited.TotalSeconds, model.Tenant, model.Model, model.Version);

    public void Rejected(RejectionReason reason, string tenant, string model) =>
        _errors.Add(1,
            new KeyValuePair<string, object?>("reason", reason.ToString()),
            new KeyValuePair<string, object?>("tenant", tenant),
            new KeyValuePair<string, object?>("model", model));
}

/// <summary>The labels of one model version, built once per batcher.</summary>
internal sealed record ModelTags(string TenantId, string ModelName, int ModelVersion)
{
    public KeyValuePair<string, object?> Tenant { get; } = new("tenant", TenantId);

    public KeyValuePair<string, object?> Model { get; } = new("model", ModelName);

    public KeyValuePair<string, object?> Version { get; } = new("version", ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
