using System.Collections.Concurrent;
using MassTransit;
using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Sends an inference to the workers of its model over the bus and awaits the answer. Requests go to
/// the exchange <c>infer.{tenant}.{model}</c>, which every worker serving the model binds its queue to.
/// </summary>
internal sealed class InferenceForwarder(IClientFactory clients)
{
    private readonly ConcurrentDictionary<string, IRequestClient<InferenceRequested>> _clients = new(StringComparer.Ordinal);

    public static string Destination(string tenant, string model) => $"infer.{tenant}.{model}";

    public async Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> SendAsync(
        InferenceRequested request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(Destination(request.TenantId, request.ModelName),
            static (name, factory) => factory.CreateRequestClient<InferenceRequested>(new Uri($"exchange:{name}")), clients);
        var response = await client.GetResponse<InferenceCompleted, InferenceRejected>(request, cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        if (response.Is(out Response<InferenceCompleted>? completed))
        {
            return (completed!.Message, null);
        }

        return response.Is(out Response<InferenceRejected>? rejected) ? (null, rejected!.Message) : (null, null);
    }
}
