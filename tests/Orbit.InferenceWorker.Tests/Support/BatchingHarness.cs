using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tests.Support;

/// <summary>A real session on a generated model and batchers over it, without a bus.</summary>
internal sealed class BatchingHarness : IDisposable
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public BatchingHarness(byte[] model)
    {
        Session = OnnxSession.FromBytes(model, new SessionOptions { IntraOpThreads = 1, InterOpThreads = 1 });
        Model = new LoadedModel("sha256:" + new string('0', 64), Session, BatchingProbe.Check(Session), TimeProvider.System);
    }

    public OnnxSession Session { get; }

    public LoadedModel Model { get; }

    public WorkerStatistics Statistics { get; } = new();

    /// <summary>A batcher that has not started: queue requests, then <see cref="DynamicBatcher.Start"/>, so batches are deterministic.</summary>
    public DynamicBatcher Batcher(int maxBatchSize = 32, int maxQueueDelayMicroseconds = 0, int concurrency = 1, params int[] preferred) =>
        Batcher(new BatchingOptions(maxBatchSize, TimeSpan.FromTicks(maxQueueDelayMicroseconds * 10L), preferred, concurrency), TimeProvider.System, null);

    /// <summary>A batcher on <paramref name="time"/> (a fake clock) that counts <paramref name="arrivals"/> as requests on their way.</summary>
    public DynamicBatcher Batcher(BatchingOptions options, TimeProvider time, Arrivals? arrivals)
    {
        var executor = new BatchExecutor(new ModelTags("t", "m", 1), new InferenceMetrics(Meters), Statistics, time, NullLogger.Instance);
        return new DynamicBatcher(options, executor, time, NullLogger.Instance, arrivals);
    }

    public PendingRequest Request<T>(string name, T[] values, long[] shape, DateTimeOffset? deadline = null, IReadOnlyList<string>? outputs = null, TimeProvider? time = null, bool expected = false)
        where T : unmanaged
    {
        var input = new DecodedTensor(name, ElementTypes.Of<T>(), shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), null);
        return new PendingRequest(Guid.NewGuid().ToString("N"), Model, [input], outputs, deadline ?? DateTimeOffset.MaxValue, (time ?? TimeProvider.System).GetTimestamp())
        {
            Expected = expected,
        };
    }

    /// <summary>The first output's bytes when the session runs <paramref name="values"/> alone, directly through Orbit.Onnx.</summary>
    public byte[] RunDirect<T>(T[] values, long[] shape)
        where T : unmanaged
    {
        using var x = OnnxTensor.FromArray(values, shape);
        using var result = Session.Run(x);
        return result[0].AsBytes().ToArray();
    }

    public void Dispose() => Model.Dispose();
}
