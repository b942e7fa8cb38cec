namespace Orbit.Gateway.Predictions;

/// <summary>Another place a finished prediction is published, for requests that came from <see cref="Source"/> (Kafka's results topic).</summary>
internal interface IPredictionResultSink
{
    string Source { get; }

    Task PublishAsync(StoredPrediction prediction, CancellationToken cancellationToken);
}
