using System.Collections.Concurrent;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging.InferenceWire;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Sends inferences to the workers of their model over the bus and awaits the answers. Requests go
/// to the exchange <c>infer.{tenant}.{model}</c>, which every worker serving the model binds its
/// queue to. Per model, at most <c>CoalesceMaxInFlight</c> messages are in flight: a request that
/// finds a free slot goes at once, alone; requests that arrive while every slot is taken wait for the
/// next one and travel together as one <see cref="InferenceBatchRequested"/> (to <c>infer.{tenant}.{model}.batch</c>). So a lone request pays
/// no delay, and under load the bus costs per batch rather than per request.
/// <para>
/// Bounds, as Triton's bounded queues: at most <c>MaxQueuedRequests</c> wait per model (beyond that,
/// 503 with Retry-After); a request whose deadline passes while it waits is answered 504 and never
/// sent; a coalesced group is cut before it would exceed <c>MaxMessageBytes</c>, and a request that
/// alone would exceed it is refused (413) before it is sent, so one oversized message cannot fail
/// a group of innocent ones.
/// </para>
/// </summary>
internal sealed class InferenceForwarder(IClientFactory clients, IOptions<GatewayOptions> options, GatewayMetrics metrics, TimeProvider time)
{
    public static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    /// <summary>How the request ended: the worker's answer, or no answer in time, or a worker that failed, or a refusal before sending.</summary>
    public Task<ForwardOutcome> SendAsync(InferenceRequested request, TimeSpan timeout)
    {
        var size = BusMessageSize.Of(request);
        var limit = options.Value.MaxMessageBytes;
        if (size > limit)
        {
            return Task.FromResult(ForwardOutcome.TooLarge(
                $"the request would be a bus message of about {size} bytes, over the broker's limit of {limit} (Orbit:Gateway:MaxMessageBytes)"));
        }

        // Real-time and asynchronous requests travel on separate queues, each with its own lane of in-flight slots.
        var lane = _lanes.GetOrAdd(InferenceAddresses.QueueFor(request.TenantId, request.ModelName, request.Priority), name => new Lane(name, clients, options.Value, metrics, time));
        return lane.SendAsync(request, size, timeout);
    }

    private sealed class Lane
    {
        private readonly Channel<Pending> _waiting;
        private readonly SemaphoreSlim _slots;
        private readonly IRequestClient<InferenceRequested> _single;
        private readonly IRequestClient<InferenceBatchRequested> _batch;
        private readonly int _maxBatch;
        private readonly long _maxBytes;
        private readonly int _maxQueued;
        private readonly TimeProvider _time;
        private readonly GatewayMetrics _metrics;

        public Lane(string destination, IClientFactory clients, GatewayOptions options, GatewayMetrics metrics, TimeProvider time)
        {
            _metrics = metrics;
            _maxQueued = options.MaxQueuedRequests;
            _waiting = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_maxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
            _maxBytes = options.MaxMessageBytes;
            _single = clients.CreateRequestClient<InferenceRequested>(new Uri($"exchange:{destination}"));
            _batch = clients.CreateRequestClient<InferenceBatchRequested>(new Uri($"exchange:{destination}{InferenceAddresses.BatchSuffix}"));
            _slots = new SemaphoreSlim(options.CoalesceMaxInFlight);
            _maxBatch = options.CoalesceMaxRequests;
            _time = time;
            // The pump outlives the request that opened the lane: it must not carry that request's trace and correlation id.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(PumpAsync);
            }
        }

        public async Task<ForwardOutcome> SendAsync(InferenceRequested request, long size, TimeSpan timeout)
        {
            var pending = new Pending(request, size, timeout, new TaskCompletionSource<ForwardOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), ExecutionContext.Capture());
            if (!_waiting.Writer.TryWrite(pending))
            {
                return ForwardOutcome.QueueFull($"{_maxQueued} requests for model '{request.ModelName}' are already waiting at this gateway (Orbit:Gateway:MaxQueuedRequests); retry later");
            }

            try
            {
                return await pending.Answer.Task.WaitAsync(timeout, _time);
            }
            catch (TimeoutException)
            {
                // Marks it answered, so that if it is still waiting the pump drops it instead of sending it.
                pending.Answer.TrySetResult(ForwardOutcome.TimedOut);
                return ForwardOutcome.TimedOut;
            }
        }

        private async Task PumpAsync()
        {
            var reader = _waiting.Reader;
            while (await reader.WaitToReadAsync())
            {
                await _slots.WaitAsync();
                var group = TakeGroup(reader);

                if (group.Count == 0)
                {
                    _slots.Release();
                    continue;
                }

                _metrics.Sent(group.Count);
                // Sent in its (first) request's context, so the message carries that request's trace and correlation id.
                if (group[0].Context is { } context)
                {
                    ExecutionContext.Run(context, _ => _ = SendGroupAsync(group), null);
                }
                else
                {
                    _ = SendGroupAsync(group);
                }
            }
        }

        /// <summary>
        /// The next waiting requests that fit one message: at most the batch size, and at most the
        /// message limit in estimated bytes (the first always fits: larger ones never queue). Requests
        /// already answered (timed out) or past their deadline are dropped, never sent.
        /// </summary>
        private List<Pending> TakeGroup(ChannelReader<Pending> reader)
        {
            var group = new List<Pending>();
            long bytes = 0;
            while (group.Count < _maxBatch && reader.TryPeek(out var next))
            {
                if (next.Answer.Task.IsCompleted || next.Request.Deadline <= _time.GetUtcNow())
                {
                    reader.TryRead(out _);
                    next.Answer.TrySetResult(ForwardOutcome.TimedOut);
                    continue;
                }

                if (group.Count > 0 && bytes + next.Size > _maxBytes)
                {
                    break;
                }

                reader.TryRead(out _);
                group.Add(next);
                bytes += next.Size;
            }

            return group;
        }

        private async Task SendGroupAsync(List<Pending> group)
        {
            try
            {
                if (group.Count == 1)
                {
                    var one = group[0];
                    var response = await _single.GetResponse<InferenceCompleted, InferenceRejected>(one.Request, Binary, default, RequestTimeout.After(ms: Milliseconds(one.Timeout)));
                    one.Answer.TrySetResult(response.Is(out Response<InferenceCompleted>? completed)
                        ? ForwardOutcome.Of(completed!.Message)
                        : response.Is(out Response<InferenceRejected>? rejected) ? ForwardOutcome.Of(rejected!.Message) : ForwardOutcome.WorkerFailed("the worker's answer could not be read"));
                    return;
                }

                var first = group[0].Request;
                var batch = new InferenceBatchRequested(first.TenantId, first.ModelName, group.Select(p => p.Request).ToList());
                var answer = await _batch.GetResponse<InferenceBatchCompleted>(batch, Binary, default, RequestTimeout.After(ms: Milliseconds(group.Max(p => p.Timeout))));
                var results = answer.Message.Results.ToDictionary(r => r.RequestId, StringComparer.Ordinal);
                foreach (var pending in group)
                {
                    pending.Answer.TrySetResult(results.TryGetValue(pending.Request.RequestId, out var result) switch
                    {
                        true when result.Completed is { } completed => ForwardOutcome.Of(completed),
                        true when result.Rejected is { } rejected => ForwardOutcome.Of(rejected),
                        _ => ForwardOutcome.WorkerFailed("the worker's answer to a coalesced batch had no result for this request"),
                    });
                }
            }
            catch (RequestTimeoutException)
            {
                Answer(group, ForwardOutcome.TimedOut);
            }
            catch (Exception ex)
            {
                // A fault from the worker, or the bus failing to send: either way not the client's doing.
                Answer(group, ForwardOutcome.WorkerFailed(ex.Message));
            }
            finally
            {
                _slots.Release();
            }
        }

        private static void Answer(List<Pending> group, ForwardOutcome outcome)
        {
            foreach (var pending in group)
            {
                pending.Answer.TrySetResult(outcome);
            }
        }

        /// <summary>
        /// Tensors travel to the worker as raw bytes (<see cref="InferenceWireFormat"/>); the worker answers in kind.
        /// Not persistent: a request lives only as long as its caller waits (seconds), and a broker that restarts
        /// under it answers the caller with a timeout either way; persistence would only add the broker's disk
        /// write before it confirms.
        /// </summary>
        private static void Binary<T>(IRequestPipeConfigurator<T> request)
            where T : class => request.UseExecute(context =>
            {
                context.UseInferenceWire();
                context.Durable = false;
            });

        private static int Milliseconds(TimeSpan timeout) => Math.Max(1, (int)timeout.TotalMilliseconds);
    }

    private sealed record Pending(InferenceRequested Request, long Size, TimeSpan Timeout, TaskCompletionSource<ForwardOutcome> Answer, ExecutionContext? Context);
}
