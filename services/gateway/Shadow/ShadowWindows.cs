using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Rollouts;
using Orbit.Gateway.Serving;
using Orbit.Hosting;

namespace Orbit.Gateway.Shadow;

/// <summary>How one mirrored request ended: whether each version answered, their latencies, and how the answers compared (null unless both answered).</summary>
internal readonly record struct MirrorResult(bool StableFailed, bool ShadowFailed, double? StableMs, double? ShadowMs, PairComparison? Comparison);

/// <summary>
/// Counts what this gateway mirrored to each shadow and how the answers compared, and every
/// <see cref="ServingWindowOptions.WindowSeconds"/> publishes one <see cref="ShadowWindowObserved"/> per stable/shadow pair
/// that had mirrors: the evidence the registry judges a shadow on. Publishing happens off the request path.
/// </summary>
internal sealed partial class ShadowWindows(
    IBus bus, OrbitServiceInfo service, TimeProvider time, IOptions<ServingWindowOptions> options, ILogger<ShadowWindows> logger) : BackgroundService
{
    private ConcurrentDictionary<(string Tenant, string Model, int Stable, int Shadow), Window> _current = new();
    private DateTimeOffset _windowStart = time.GetUtcNow();

    public void Skipped(string tenant, string model, int stable, int shadow) => WindowOf(tenant, model, stable, shadow).Skip();

    public void Record(string tenant, string model, int stable, int shadow, MirrorResult result) => WindowOf(tenant, model, stable, shadow).Add(result);

    private Window WindowOf(string tenant, string model, int stable, int shadow) =>
        _current.GetOrAdd((tenant, model, stable, shadow), _ => new Window(options.Value.LatencySampleSize));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.WindowSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PublishAsync(stoppingToken);
        }
    }

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var closed = Interlocked.Exchange(ref _current, new ConcurrentDictionary<(string, string, int, int), Window>());
        var start = _windowStart;
        var end = _windowStart = time.GetUtcNow();
        foreach (var ((tenant, model, stable, shadow), window) in closed)
        {
            try
            {
                await bus.Publish(window.Observed(tenant, model, stable, shadow, service.InstanceId, start, end), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Evidence, not work: a window lost while the broker is down is missing from the shadow's tallies.
                LogPublishFailed(logger, model, shadow, ex);
            }
        }
    }

    [LoggerMessage(EventId = GatewayLogEvents.ShadowWindowLost, Level = LogLevel.Warning, Message = "The shadow window of {Model} v{Version} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, string model, int version, Exception exception);

    private sealed class Window(int sampleSize)
    {
        private readonly Lock _lock = new();
        private readonly Reservoir _stable = new(sampleSize);
        private readonly Reservoir _shadow = new(sampleSize);
        private long _mirrored, _skipped, _stableErrors, _shadowErrors, _compared, _incomparable, _rows, _agreed, _values;
        private double _absDiff;

        public void Skip()
        {
            lock (_lock)
            {
                _skipped++;
            }
        }

        public void Add(MirrorResult r)
        {
            lock (_lock)
            {
                _mirrored++;
                _stableErrors += r.StableFailed ? 1 : 0;
                _shadowErrors += r.ShadowFailed ? 1 : 0;
                if (r.StableMs is { } stableMs)
                {
                    _stable.Add(stableMs);
                }

                if (r.ShadowMs is { } shadowMs)
                {
                    _shadow.Add(shadowMs);
                }

                if (r.Comparison is not { } c)
                {
                    return;
                }

                if (c.Kind == ComparisonKind.Incomparable)
                {
                    _incomparable++;
                    return;
                }

                _compared++;
                _rows += c.Rows;
                _agreed += c.AgreedRows;
                _values += c.Values;
                _absDiff += c.AbsDiffSum;
            }
        }

        public ShadowWindowObserved Observed(string tenant, string model, int stable, int shadow, string source, DateTimeOffset start, DateTimeOffset end)
        {
            lock (_lock)
            {
                return new ShadowWindowObserved(tenant, model, stable, shadow, source, start, end, _mirrored, _skipped, _stableErrors, _shadowErrors,
                    _compared, _incomparable, _rows, _agreed, _values, _absDiff, _stable.Sample(), _shadow.Sample());
            }
        }
    }

    /// <summary>A uniform sample of latencies (Vitter's algorithm R); callers hold the window's lock.</summary>
    private sealed class Reservoir(int size)
    {
        private readonly double[] _sample = new double[size];
        private long _seen;

        public void Add(double value)
        {
            var seen = _seen++;
            if (seen < _sample.Length)
            {
                _sample[seen] = value;
            }
            else if (Random.Shared.NextInt64(seen + 1) is var slot && slot < _sample.Length)
            {
                _sample[slot] = value;
            }
        }

        public double[] Sample() => _sample[..(int)Math.Min(_seen, _sample.Length)];
    }
}
