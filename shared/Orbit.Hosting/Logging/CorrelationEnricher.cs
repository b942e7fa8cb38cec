using Serilog.Core;
using Serilog.Events;

namespace Orbit.Hosting.Logging;

/// <summary>
/// Adds the current correlation id to every log event written while one is set. For the plain
/// format it also adds the suffixes its template prints, so a line outside a request or trace
/// carries no empty brackets. (JSON carries the trace and span ids as <c>@tr</c> and <c>@sp</c>.)
/// </summary>
internal sealed class CorrelationEnricher(bool plainSuffix) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var id = Correlation.Current;
        if (id is not null)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("CorrelationId", id));
        }

        if (!plainSuffix)
        {
            return;
        }

        if (id is not null)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("CorrelationSuffix", " [" + id + "]"));
        }

        if (logEvent.TraceId is { } trace)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("TraceSuffix", $" trace={trace.ToHexString()} span={logEvent.SpanId?.ToHexString()}"));
        }
    }
}
