using MassTransit;

namespace Orbit.Hosting.Messaging;

/// <summary>
/// Copies the trace context MassTransit writes in its own <c>MT-Activity-Id</c> header (W3C format,
/// naming the send span) into the standard <c>traceparent</c> header, which consumers in other
/// languages read. It runs in the transport, after the send span has started.
/// </summary>
internal sealed class TraceParentObserver : ISendObserver
{
    public const string TraceParent = "traceparent";

    public Task PreSend<T>(SendContext<T> context) where T : class
    {
        if (context.Headers.Get<string>(MassTransit.Logging.DiagnosticHeaders.ActivityId) is { Length: > 0 } id)
        {
            context.Headers.Set(TraceParent, id);
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
