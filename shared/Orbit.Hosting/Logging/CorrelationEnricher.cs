using Serilog.Core;
using Serilog.Events;

namespace Orbit.Hosting.Logging;

/// <summary>Adds the current correlation id to every log event written while one is set.</summary>
internal sealed class CorrelationEnricher(bool plainSuffix) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var id = Correlation.Current;
        if (id is null)
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("CorrelationId", id));
        if (plainSuffix)
        {
            // The plain template prints this, so lines without a correlation id carry no empty brackets.
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("CorrelationSuffix", " [" + id + "]"));
        }
    }
}
