using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts.Evidence;

/// <summary>
/// What each model version served, window by window, as gateways reported it (<see cref="ServingWindowObserved"/>),
/// ground truth joined to its predictions (<see cref="AccuracyWindowObserved"/>, from the drift monitor), and its latest
/// drift level (<see cref="DriftDetected"/>, <see cref="DriftCleared"/>), and what gateways mirrored to a shadow
/// (<see cref="ShadowWindowObserved"/>). Kept in memory for
/// <see cref="RolloutOptions.EvidenceRetentionMinutes"/>: the controller reads only the interval it judges.
/// </summary>
internal sealed class ServingEvidence(TimeProvider time, IOptions<RolloutOptions> options)
{
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), ConcurrentQueue<ServingWindowObserved>> _windows = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version, string Feature), AlertLevel> _drift = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), ConcurrentQueue<AccuracyWindowObserved>> _accuracy = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Stable, int Shadow), ConcurrentQueue<ShadowWindowObserved>> _shadow = new();

    public void Add(ServingWindowObserved window)
    {
        var queue = _windows.GetOrAdd((window.TenantId, window.ModelName, window.ModelVersion), _ => new ConcurrentQueue<ServingWindowObserved>());
        queue.Enqueue(window);
        var oldest = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.EvidenceRetentionMinutes);
        while (queue.TryPeek(out var head) && head.WindowEnd < oldest)
        {
            queue.TryDequeue(out _);
        }
    }

    public void Add(AccuracyWindowObserved window)
    {
        var queue = _accuracy.GetOrAdd((window.TenantId, window.ModelName, window.ModelVersion), _ => new ConcurrentQueue<AccuracyWindowObserved>());
        queue.Enqueue(window);
        var oldest = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.EvidenceRetentionMinutes);
        while (queue.TryPeek(out var head) && head.WindowEnd < oldest)
        {
            queue.TryDequeue(out _);
        }
    }

    public void Add(ShadowWindowObserved window)
    {
        var queue = _shadow.GetOrAdd((window.TenantId, window.ModelName, window.StableVersion, window.ShadowVersion), _ => new ConcurrentQueue<ShadowWindowObserved>());
        queue.Enqueue(window);
        var oldest = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.EvidenceRetentionMinutes);
        while (queue.TryPeek(out var head) && head.WindowEnd < oldest)
        {
            queue.TryDequeue(out _);
        }
    }

    /// <summary>The shadow windows of this stable/shadow pair that ended in (<paramref name="from"/>, <paramref name="to"/>], from every gateway.</summary>
    public IReadOnlyList<ShadowWindowObserved> CollectShadow(string tenant, string model, int stable, int shadow, DateTimeOffset from, DateTimeOffset to) =>
        _shadow.TryGetValue((tenant, model, stable, shadow), out var queue)
            ? queue.Where(w => w.WindowEnd > from && w.WindowEnd <= to).ToList()
            : [];

    public void Drift(string tenant, string model, int version, string feature, AlertLevel level) =>
        _drift[(tenant, model, version, feature)] = level;

    /// <summary>Everything the version served in windows that ended in (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public ArmSample Collect(string tenant, string model, int version, DateTimeOffset from, DateTimeOffset to)
    {
        long requests = 0, errors = 0;
        var latencies = new List<double>();
        if (_windows.TryGetValue((tenant, model, version), out var queue))
        {
            foreach (var window in queue)
            {
                if (window.WindowEnd > from && window.WindowEnd <= to)
                {
                    requests += window.Requests;
                    errors += window.Errors;
                    latencies.AddRange(window.LatencySampleMs);
                }
            }
        }

        long labelled = 0, correct = 0;
        if (_accuracy.TryGetValue((tenant, model, version), out var outcomes))
        {
            foreach (var window in outcomes)
            {
                if (window.WindowEnd > from && window.WindowEnd <= to)
                {
                    labelled += window.Labelled;
                    correct += window.Correct;
                }
            }
        }

        return new ArmSample(version, requests, errors, latencies, labelled, correct, DriftLevelOf(tenant, model, version));
    }

    /// <summary>The version's worst feature state, or null when the drift monitor has said nothing about it.</summary>
    private string? DriftLevelOf(string tenant, string model, int version)
    {
        AlertLevel? worst = null;
        foreach (var ((t, m, v, _), level) in _drift)
        {
            if (t == tenant && m == model && v == version && (worst is null || level > worst))
            {
                worst = level;
            }
        }

        return worst?.ToString().ToLowerInvariant();
    }
}
