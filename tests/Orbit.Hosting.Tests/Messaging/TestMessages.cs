using System.Collections.Concurrent;
using MassTransit;
using Orbit.Hosting.Logging;

namespace Orbit.Hosting.Tests.Messaging;

public sealed record PlainJsonProbe(string ProbeId, int Count, DateTimeOffset SentAt);

public sealed record DoomedMessage(string ProbeId);

/// <summary>Records what it consumed, and the correlation id current while it did.</summary>
internal sealed class PlainJsonProbeConsumer : IConsumer<PlainJsonProbe>
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource<(PlainJsonProbe Message, string? Correlation)>> Seen = new();

    public static Task<(PlainJsonProbe Message, string? Correlation)> WaitFor(string probeId) =>
        Seen.GetOrAdd(probeId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task Consume(ConsumeContext<PlainJsonProbe> context)
    {
        Seen.GetOrAdd(context.Message.ProbeId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult((context.Message, Correlation.Current));
        return Task.CompletedTask;
    }
}

internal sealed class AlwaysFailingConsumer : IConsumer<DoomedMessage>
{
    public Task Consume(ConsumeContext<DoomedMessage> context) =>
        throw new InvalidOperationException($"cannot handle probe {context.Message.ProbeId}");
}
