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

    public (ModelSignature? Signature, string? Error) Inspect(string path, SessionOptions options)
    {
        LastOptions = options;
        Interlocked.Increment(ref _started);
        _release.Wait();
        return (Signature, null);
    }

    public void Release() => _release.Set();
}
