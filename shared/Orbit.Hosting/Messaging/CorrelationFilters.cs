using MassTransit;
using Orbit.Hosting.Logging;

namespace Orbit.Hosting.Messaging;

/// <summary>Copies the current correlation id onto every message sent or published.</summary>
internal sealed class CorrelationSendFilter<T> : IFilter<SendContext<T>>, IFilter<PublishContext<T>> where T : class
{
    public Task Send(SendContext<T> context, IPipe<SendContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("orbit-correlation");

    private static void Stamp(SendContext context)
    {
        if (Correlation.Current is { } id && !context.Headers.TryGetHeader(Correlation.HeaderName, out _))
        {
            context.Headers.Set(Correlation.HeaderName, id);
        }
    }
}

/// <summary>
/// Makes the message's correlation id current while it is consumed: the <c>X-Correlation-Id</c>
/// header, else MassTransit's correlation id, else the message id.
/// </summary>
internal sealed class CorrelationConsumeFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var previous = Correlation.Current;
        var supplied = context.Headers.Get<string>(Correlation.HeaderName)
            ?? context.CorrelationId?.ToString("N")
            ?? context.MessageId?.ToString("N");
        Correlation.Current = Correlation.Accept(supplied);
        try
        {
            await next.Send(context);
        }
        finally
        {
            Correlation.Current = previous;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("orbit-correlation");
}
