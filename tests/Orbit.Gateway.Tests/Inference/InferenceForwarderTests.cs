using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Tests.Inference;

/// <summary>
/// The forwarder's bounds, over MassTransit's in-memory transport with a worker that holds the one
/// in-flight slot until told to answer, so that later requests wait in the gateway's queue.
/// </summary>
public sealed class InferenceForwarderTests : IAsyncDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new();
    private readonly HoldingWorker _worker = new();
    private ServiceProvider? _services;

    [Fact]
    public async Task Coalesced_requests_are_cut_so_that_no_message_exceeds_the_broker_limit()
    {
        var forwarder = await StartAsync(new GatewayOptions { CoalesceMaxInFlight = 1, MaxMessageBytes = 65_536 });
        var held = forwarder.SendAsync(Request("hold", 1, Long), Long);
        await _worker.Holding.Task.WaitAsync(Long);

        // Raw bytes travel as they are: two requests of 35 000 together are over 64 KiB.
        var waiting = Enumerable.Range(0, 4).Select(i => forwarder.SendAsync(Request($"r{i}", 35_000, Long), Long)).ToList();
        _worker.Release.SetResult();
        var outcomes = await Task.WhenAll(waiting.Append(held));

        Assert.All(outcomes, o => Assert.Equal(ForwardStatus.Completed, o.Status));
        Assert.All(_worker.Messages, message => Assert.Single(message));
    }

    [Fact]
    public async Task A_request_over_the_broker_limit_is_refused_and_never_sent()
    {
        var forwarder = await StartAsync(new GatewayOptions { MaxMessageBytes = 65_536 });

        var outcome = await forwarder.SendAsync(Request("big", 100_000, Long), Long);
        var small = await forwarder.SendAsync(Request("small", 10, Long), Long);

        Assert.Equal(ForwardStatus.TooLarge, outcome.Status);
        Assert.Contains("65536", outcome.Detail);
        Assert.Equal(ForwardStatus.Completed, small.Status);
        Assert.Equal(["small"], _worker.Messages.SelectMany(m => m));
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_sends_nothing_more()
    {
        var forwarder = await StartAsync(new GatewayOptions { CoalesceMaxInFlight = 1, MaxQueuedRequests = 2 });
        var held = forwarder.SendAsync(Request("hold", 1, Long), Long);
        await _worker.Holding.Task.WaitAsync(Long);
        var queued = new[] { forwarder.SendAsync(Request("q1", 1, Long), Long), forwarder.SendAsync(Request("q2", 1, Long), Long) };

        var refused = forwarder.SendAsync(Request("q3", 1, Long), Long);

        Assert.True(refused.IsCompleted);
        Assert.Equal(ForwardStatus.QueueFull, (await refused).Status);
        _worker.Release.SetResult();
        await Task.WhenAll(queued.Append(held));
        Assert.DoesNotContain("q3", _worker.Messages.SelectMany(m => m));
    }

    [Fact]
    public async Task A_request_whose_deadline_passed_while_waiting_times_out_and_is_never_sent()
    {
        var forwarder = await StartAsync(new GatewayOptions { CoalesceMaxInFlight = 1 });
        var held = forwarder.SendAsync(Request("hold", 1, Long), Long);
        await _worker.Holding.Task.WaitAsync(Long);
        var late = forwarder.SendAsync(Request("late", 1, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(2));
        var lateOutcome = await late.WaitAsync(Long);
        var next = forwarder.SendAsync(Request("next", 1, Long), Long);
        _worker.Release.SetResult();
        await Task.WhenAll(held, next);

        Assert.Equal(ForwardStatus.TimedOut, lateOutcome.Status);
        Assert.Equal(["hold", "next"], _worker.Messages.SelectMany(m => m));
    }

    [Fact]
    public async Task A_full_queue_is_503_with_retry_after_in_OIP_form()
    {
        var result = InferRequest.Write(new Microsoft.AspNetCore.Http.DefaultHttpContext(), "m", 1, null, ForwardOutcome.QueueFull("queue full"), Long).Result;
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await result.ExecuteAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        Assert.Equal("""{"error":"queue full"}""", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _worker.Release.TrySetResult();
        if (_services is not null)
        {
            await _services.GetRequiredService<IBusControl>().StopAsync();
            await _services.DisposeAsync();
        }
    }

    private InferenceRequested Request(string id, int bytes, TimeSpan timeout) =>
        new(id, "t", "m", 1, [new InferenceTensor("x", "UINT8", [bytes], RawData: new byte[bytes])], _time.GetUtcNow() + timeout);

    private async Task<InferenceForwarder> StartAsync(GatewayOptions options)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<InferenceForwarder>();
        services.AddMassTransit(bus => bus.UsingInMemory((_, memory) =>
        {
            memory.ReceiveEndpoint("infer.t.m", e => e.Instance(_worker));
            memory.ReceiveEndpoint("infer.t.m.batch", e => e.Instance(_worker));
        }));
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<IBusControl>().StartAsync();
        return _services.GetRequiredService<InferenceForwarder>();
    }

    /// <summary>Answers every request; the one named "hold" only once released. Records the request ids of each message.</summary>
    private sealed class HoldingWorker : IConsumer<InferenceRequested>, IConsumer<InferenceBatchRequested>
    {
        public ConcurrentQueue<string[]> Messages { get; } = new();

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Consume(ConsumeContext<InferenceRequested> context)
        {
            Messages.Enqueue([context.Message.RequestId]);
            if (context.Message.RequestId == "hold")
            {
                Holding.SetResult();
                await Release.Task;
            }

            await context.RespondAsync(Completed(context.Message));
        }

        public async Task Consume(ConsumeContext<InferenceBatchRequested> context)
        {
            Messages.Enqueue([.. context.Message.Requests.Select(r => r.RequestId)]);
            await context.RespondAsync(new InferenceBatchCompleted([.. context.Message.Requests.Select(r => new InferenceBatchResult(r.RequestId, Completed(r)))]));
        }

        private static InferenceCompleted Completed(InferenceRequested request) => new(request.RequestId, request.ModelName, 1, [], "test-worker", 0, 0, 1);
    }
}
