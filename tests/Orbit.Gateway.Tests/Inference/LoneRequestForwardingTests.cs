using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orbit.Contracts.Inference;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Tests.Inference;

/// <summary>
/// Coalescing costs a lone request nothing: on a clock that never moves, it is answered, and it
/// travels alone as a plain <see cref="InferenceRequested"/>, not inside a batch message.
/// </summary>
public sealed class LoneRequestForwardingTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<string> _kinds = new();
    private ServiceProvider? _services;

    [Fact]
    public async Task A_lone_request_is_sent_at_once_alone_without_waiting_on_the_clock()
    {
        var forwarder = await StartAsync(new GatewayOptions { CoalesceMaxInFlight = 4, CoalesceMaxRequests = 32 });
        var started = _time.GetUtcNow();

        var outcome = await forwarder.SendAsync(Request("alone"), TimeSpan.FromMinutes(10)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ForwardStatus.Completed, outcome.Status);
        Assert.Equal(["single:alone"], _kinds);
        Assert.Equal(started, _time.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.GetRequiredService<IBusControl>().StopAsync();
            await _services.DisposeAsync();
        }
    }

    private InferenceRequested Request(string id) =>
        new(id, "t", "m", 1, [new InferenceTensor("x", "UINT8", [1], RawData: [1])], _time.GetUtcNow().AddMinutes(10));

    private async Task<InferenceForwarder> StartAsync(GatewayOptions options)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<InferenceForwarder>();
        var worker = new RecordingWorker(_kinds);
        services.AddMassTransit(bus => bus.UsingInMemory((_, memory) =>
        {
            memory.ReceiveEndpoint("infer.t.m", e => e.Instance(worker));
            memory.ReceiveEndpoint("infer.t.m.batch", e => e.Instance(worker));
        }));
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<IBusControl>().StartAsync();
        return _services.GetRequiredService<InferenceForwarder>();
    }

    private sealed class RecordingWorker(ConcurrentQueue<string> kinds) : IConsumer<InferenceRequested>, IConsumer<InferenceBatchRequested>
    {
        public Task Consume(ConsumeContext<InferenceRequested> context)
        {
            kinds.Enqueue("single:" + context.Message.RequestId);
            return context.RespondAsync(Completed(context.Message));
        }

        public Task Consume(ConsumeContext<InferenceBatchRequested> context)
        {
            kinds.Enqueue("batch:" + string.Join(',', context.Message.Requests.Select(r => r.RequestId)));
            return context.RespondAsync(new InferenceBatchCompleted([.. context.Message.Requests.Select(r => new InferenceBatchResult(r.RequestId, Completed(r)))]));
        }

        private static InferenceCompleted Completed(InferenceRequested request) => new(request.RequestId, request.ModelName, 1, [], "test-worker", 0, 0, 1);
    }
}
