using System.Diagnostics.Metrics;
using MassTransit;

namespace Orbit.Hosting.Metrics;

/// <summary>Messages consumed and failed per message type, and how long each took from receipt.</summary>
internal sealed class BusMetrics : IConsumeObserver
{
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;

    public BusMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Orbit.Bus");
        // Prometheus names: orbit_bus_messages_consumed_total, orbit_bus_messages_failed_total, orbit_bus_consume_duration_seconds.
        _consumed = meter.CreateCounter<long>("orbit.bus.messages.consumed", unit: "{message}", description: "Messages consumed successfully, by message type.");
        _failed = meter.CreateCounter<long>("orbit.bus.messages.failed", unit: "{message}", description: "Message consumption attempts that threw, by message type and exception.");
        _duration = meter.CreateHistogram<double>("orbit.bus.consume.duration", unit: "s", description: "Time from receipt to the end of consumption.");
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        var type = new KeyValuePair<string, object?>("message_type", typeof(T).Name);
        _consumed.Add(1, type);
        _duration.Record(context.ReceiveContext.ElapsedTime.TotalSeconds, type);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        _failed.Add(1,
            new KeyValuePair<string, object?>("message_type", typeof(T).Name),
            new KeyValuePair<string, object?>("exception", exception.GetType().Name));
        return Task.CompletedTask;
    }
}
