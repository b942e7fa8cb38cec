using MassTransit;
using Orbit.Contracts.Predictions;
using Orbit.Contracts.Wire;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Publishes a finished prediction as plain JSON to the topic exchange <c>orbit.predictions.results</c>
/// with routing key <c>{tenant}.{model}</c>: each consumer binds its own queue (<c>acme.churn</c>,
/// <c>acme.#</c>, <c>#</c>). Publishing the same finished prediction again publishes the same event.
/// </summary>
internal sealed class PredictionResults(IBus bus)
{
    private static readonly Uri Exchange = new($"exchange:{PredictionAddresses.Results}?type=topic");

    public async Task PublishAsync(StoredPrediction prediction, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(Exchange);
        var routingKey = PredictionAddresses.ResultRoutingKey(prediction.TenantId, prediction.Model);
        switch (prediction.ToResultEvent())
        {
            case PredictionCompleted completed:
                await endpoint.Send(completed, context => context.SetRoutingKey(routingKey), cancellationToken);
                break;
            case PredictionFailed failed:
                await endpoint.Send(failed, context => context.SetRoutingKey(routingKey), cancellationToken);
                break;
        }
    }
}
