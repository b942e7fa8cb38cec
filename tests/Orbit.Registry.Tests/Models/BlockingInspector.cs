using Orbit.Contracts.Registry;
using Orbit.Registry.Models;
using SessionOptions = Orbit.Onnx.Sessions.SessionOptions;

namespace Orbit.Registry.Tests.Models;

/// <summary>An inspector whose loads hang until released: a model that hangs ONNX Runtime's load, on demand.</summary>
internal sealed class BlockingInspector : IModelInspector
{
    private readonly ManualResetEventSlim _release = new(false);
    private int _started;

    public static readonly ModelSignature Signature = new([], [], "cpu");

    public int Started => Volatile.Read(ref _started);

    public SessionOptions? LastOptions { get; private set; }

    /// <summary>Ignores cancellation, as an in-process ORT load would: only <see cref="Release"/> ends it.</summary>
    public Task<ModelInspection> InspectAsync(string path, SessionOptions options, CancellationToken cancellationToken)
    {
        LastOptions = options;
        Interlocked.Increment(ref _started);
        _release.Wait(CancellationToken.None);
        return Task.FromResult(new ModelInspection(Signature, null));
    }

    public void Release() => _release.Set();
}
