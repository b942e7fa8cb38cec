using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting;

namespace Orbit.Gateway.Serving;

/// <summary>
/// Counts each deployed model version's answers and samples its latencies, and every
/// <see cref="ServingWindowOptions.WindowSeconds"/> publishes one <see cref="ServingWindowObserved"/> per version
/// that had traffic: the evidence the registry's rollout controller judges canaries on. Recording is a dictionary
/// look-up and a short lock per request; publishing happens off the request path. An answer recorded at the very
/// instant a window closes may be counted in none: this is evidence for a statistical test, not billing.
/// </summary>
internal sealed partial class ServingWindows(
    IBus bus, OrbitServiceInfo service, TimeProvider time, IOptions<ServingWindowOptions> options, ILogger<ServingWindows> logger) : BackgroundService
{
    private ConcurrentDictionary<(string Tenant, string Model, int Version), Window> _current = new();
    private DateTimeOffset _windowStart = time.GetUtcNow();

    /// <summary>One answer: server-side failures (5xx) count as errors; successes' latencies are sampled.</summary>
    public void Record(string tenant, string model, int version, int status, TimeSpan elapsed)
    {
        var window = _current.GetOrAdd((tenant, model, version), _ => new Window(options.Value.LatencySampleSize));
        window.Add(status >= 500, status < 400 ? elapsed.TotalMilliseconds : null);
    }

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
        var closed = Interlocked.Exchange(ref _current, new ConcurrentDictionary<(string, string, int), Window>());
        var start = _windowStart;
        var end = _windowStart = time.GetUtcNow();
        foreach (var ((tenant, model, version), window) in closed)
        {
            var (requests, errors, sample) = window.Snapshot();
            try
            {
                await bus.Publish(new ServingWindowObserved(tenant, model, version, service.InstanceId, start, end, requests, errors, sample), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Evidence, not work: a window lost while the broker is down makes one interval inconclusive.
                LogPublishFailed(logger, model, version, ex);
            }
        }
    }

    [LoggerMessage(EventId = GatewayLogEvents.ServingWindowLost, Level = LogLevel.Warning, Message = "The serving window of {Model} v{Version} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, string model, int version, Exception exception);

    /// <summary>A window's counts and a uniform reservoir sample of its latencies (Vitter's algorithm R).</summary>
    private sealed class Window(int sampleSize)
    {
        private readonly double[] _sample = new double[sampleSize];
        private long _requests;
        private long _errors;
        private long _seen;

        public void Add(bool error, double? latencyMs)
        {
            lock (_sample)
            {
                _requests++;
                if (error)
                {
                    _errors++;
                }

                if (latencyMs is not { } ms)
                {
                    return;
                }

                var seen = _seen++;
                if (seen < _sample.Length)
                {
                    _sample[seen] = ms;
                }
                else if (Random.Shared.NextInt64(seen + 1) is var slot && slot < _sample.Length)
                {
                    _sample[slot] = ms;
                }
            }
        }

        public (long Requests, long Errors, double[] Sample) Snapshot()
        {
            lock (_sample)
            {
                return (_requests, _errors, _sample[..(int)Math.Min(_seen, _sample.Length)]);
            }
        }
    }
}
