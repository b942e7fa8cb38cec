using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Errors;

namespace Orbit.Hosting.Messaging;

/// <summary>
/// Retry belongs to the message, so each consumer definition chooses: events whose handling may
/// meet a passing fault (deployment changes) take <see cref="UseEventRetry"/>; deadline-bound
/// requests (inference) take none, since a retried request would only answer after its caller gave up.
/// </summary>
public static class MessageRetry
{
    /// <summary>
    /// In-memory retries with exponential back-off (<c>Orbit:RabbitMq:RetryLimit</c>, from
    /// <c>RetryIntervalMilliseconds</c>), then the <c>_error</c> queue. Invalid messages are not retried.
    /// </summary>
    public static void UseEventRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<MessageValidationException>();
            r.Ignore<JsonException>();
            r.Exponential(options.RetryLimit,
                TimeSpan.FromMilliseconds(options.RetryIntervalMilliseconds),
                TimeSpan.FromMilliseconds(options.RetryIntervalMilliseconds * 20),
                TimeSpan.FromMilliseconds(options.RetryIntervalMilliseconds));
        });
    }
}
