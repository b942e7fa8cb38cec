using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Predictions;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Computes accepted predictions from <c>orbit.predictions.pending</c> (every gateway competes for
/// them), records the result, publishes it, and only then acknowledges: a gateway killed on the way
/// leaves the message to be redelivered, and the record makes it computed once.
/// </summary>
internal sealed partial class PredictionRequestedConsumer(
    PredictionComputer computer,
    PredictionResults results,
    IOptions<PredictionOptions> options,
    ILogger<PredictionRequestedConsumer> logger) : IConsumer<PredictionRequested>
{
    public async Task Consume(ConsumeContext<PredictionRequested> context)
    {
        var request = context.Message;
        var last = context.GetRetryAttempt() + 1 >= options.Value.MaxAttempts;
        var finished = await computer.ComputeAsync(request, last);
        if (finished is null)
        {
            LogExpired(logger, request.TenantId, request.PredictionId);
            return;
        }

        await results.PublishAsync(finished, context.CancellationToken);

        LogFinished(logger, request.TenantId, request.PredictionId, finished.Status);
    }

    [LoggerMessage(EventId = GatewayLogEvents.PredictionExpired, Level = LogLevel.Warning, Message = "Prediction {Tenant}/{PredictionId} has no record (expired or taken back); not computed")]
    private static partial void LogExpired(ILogger logger, string tenant, string predictionId);

    [LoggerMessage(EventId = GatewayLogEvents.PredictionFinished, Level = LogLevel.Debug, Message = "Prediction {Tenant}/{PredictionId} {Status}")]
    private static partial void LogFinished(ILogger logger, string tenant, string predictionId, string status);
}
