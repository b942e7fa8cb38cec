using System.Collections.Concurrent;
using MassTransit;

namespace Orbit.Hosting.Tests.Metrics;

/// <summary>A message only the metrics test consumes, so no other service in this test process counts it instead.</summary>
public sealed record MetricsProbe(string ProbeId);

internal sealed class MetricsProbeConsumer : IConsumer<MetricsProbe>
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Seen = new();

    public static Task WaitFor(string probeId) =>
        Seen.GetOrAdd(probeId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task Consume(ConsumeContext<MetricsProbe> context)
    {
        Seen.GetOrAdd(context.Message.ProbeId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.CompletedTask;
    }
}
