using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Predictions.Kafka;

/// <summary>
/// One Kafka request, from headers and body to a finished prediction or a refusal: the key checked
/// as over HTTP, the body read as the RabbitMQ ingress reads it, the prediction recorded (or found
/// again by its request id) and computed here, since the offset is committed only after the result
/// is out. What may pass (registry or Redis unreachable) is retried until it does; what no worker
/// could take is retried <see cref="PredictionOptions.MaxAttempts"/> times, as on the pending queue.
/// </summary>
internal sealed class KafkaRequestHandler(
    IApiKeyResolver keys,
    PredictionSubmitter submitter,
    PredictionComputer computer,
    IOptions<PredictionOptions> options,
    TimeProvider time)
{
    public async Task<(StoredPrediction? Finished, KafkaRefusal? Refusal)> HandleAsync(
        IEnumerable<(string Name, string? Value)> headers, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            var caller = await UntilReachableAsync(() => PredictionIngressConsumer.AuthenticateAsync(
                PredictionIngressConsumer.ReadKey(headers), keys, cancellationToken), cancellationToken);
            using var document = JsonDocument.Parse(body);
            var (submission, refusal) = PredictionBodyReader.ReadMessage(document.RootElement, body.Length, PredictionSources.Kafka);
            if (submission is null)
            {
                return (null, new KafkaRefusal(refusal!.Field, refusal.Detail));
            }

            PredictionIngressConsumer.CheckTenant(document.RootElement, caller);
            var outcome = await UntilReachableAsync(() => submitter.SubmitAsync(caller, submission, cancellationToken, enqueue: false), cancellationToken);
            if (outcome.Refusal is { } refused)
            {
                return (null, new KafkaRefusal(refused.Field, refused.Detail));
            }

            return (outcome.Prediction is { IsDone: true } done ? done : await ComputeAsync(outcome, cancellationToken), null);
        }
        catch (MessageValidationException ex)
        {
            return (null, new KafkaRefusal(ex.Field, ex.Message));
        }
        catch (JsonException ex)
        {
            return (null, new KafkaRefusal("body", "the message is not valid JSON: " + ex.Message));
        }
        catch (DecoderFallbackException)
        {
            return (null, new KafkaRefusal("body", "the message holds a string that is not valid UTF-8"));
        }
    }

    private async Task<StoredPrediction?> ComputeAsync(SubmissionOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UntilReachableAsync(() => computer.ComputeAsync(outcome.Message!, attempt >= settings.MaxAttempts), cancellationToken);
            }
            catch (RetryLaterException)
            {
                var pause = TimeSpan.FromMilliseconds(settings.RetryIntervalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 4)));
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }

    private async Task<T> UntilReachableAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (ex is DependencyUnavailableException or StackExchange.Redis.RedisException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }
}
