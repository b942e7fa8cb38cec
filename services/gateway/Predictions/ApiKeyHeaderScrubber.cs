using MassTransit;
using MassTransit.Middleware;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// On the ingress's error pipe: removes the API key headers (<c>x-api-key</c>, <c>authorization</c>) from a refused or
/// malformed message before it is moved to the error queue, so a secret never rests in a queue that operators browse.
/// The reason (<c>MT-Fault-Message</c>) and everything else stay.
/// </summary>
internal sealed class ApiKeyHeaderScrubber : IFilter<ExceptionReceiveContext>
{
    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (context.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit) && rabbit.Properties.Headers is { } headers)
        {
            foreach (var name in headers.Keys.Where(IsKeyHeader).ToList())
            {
                headers.Remove(name);
            }
        }

        return next.Send(context);
    }

    private static bool IsKeyHeader(string name) =>
        name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) || name.Equals("authorization", StringComparison.OrdinalIgnoreCase);

    public void Probe(ProbeContext context) => context.CreateFilterScope("scrubApiKey");

    /// <summary>The ingress's error pipe: scrub, then MassTransit's default (fault, then move to <c>_error</c>).</summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint) => endpoint.ConfigureError(error =>
    {
        error.UseFilter(new ApiKeyHeaderScrubber());
        error.UseFilter(new GenerateFaultFilter());
        error.UseFilter(new ErrorTransportFilter());
    });
}
