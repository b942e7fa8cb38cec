using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using Orbit.Onnx.Native;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Sessions;

/// <summary>A loaded model. Run may be called from many threads at once.</summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private const int StackLimit = 32;

    private readonly OrtSessionHandle _handle;
    private readonly TensorMetadata[] _inputs;
    private readonly TensorMetadata[] _outputs;
    private readonly NativeNames _inputNames;
    private readonly NativeNames _outputNames;
    private readonly FrozenDictionary<string, int> _inputIndex;
    private readonly bool _allOutputsAreTensors;

    private OnnxSession(OrtSessionHandle handle, string provider)
    {
        _handle = handle;
        ExecutionProvider = provider;
        _inputs = SessionMetadataReader.ReadInputs(handle);
        _outputs = SessionMetadataReader.ReadOutputs(handle);
        _inputNames = new NativeNames(_inputs.Select(i => i.Name));
        _outputNames = new NativeNames(_outputs.Select(o => o.Name));
        _inputIndex = _inputs.Select((input, index) => KeyValuePair.Create(input.Name, index)).ToFrozenDictionary();
        _allOutputsAreTensors = _outputs.All(o => o.Kind == ValueKind.Tensor);
    }

    public IReadOnlyList<TensorMetadata> Inputs => _inputs;

    public IReadOnlyList<TensorMetadata> Outputs => _outputs;

    /// <summary>The provider the session got: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public string ExecutionProvider { get; }

    public static OnnxSession FromFile(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (sessionOptions, provider) = SessionOptionsBuilder.Build(options ?? new SessionOptions());
        using (sessionOptions)
        {
            var utf8 = Encoding.UTF8.GetBytes(path + "\0");
            var handle = new OrtSessionHandle();
            nint pointer;
            fixed (byte* p = utf8)
            {
                OrtStatus.Check(OrtApi.CreateSession(OrtEnvironment.Env.Pointer, p, sessionOptions.Pointer, &pointer));
            }
            handle.Adopt(pointer);
            return Wrap(handle, provider);
        }
    }

    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, SessionOptions? options = null)
    {
        var (sessionOptions, provider) = SessionOptionsBuilder.Build(options ?? new SessionOptions());
        using (sessionOptions)
        {
            var handle = new OrtSessionHandle();
            nint pointer;
            fixed (byte* p = model)
            {
                OrtStatus.Check(OrtApi.CreateSessionFromArray(
                    OrtEnvironment.Env.Pointer, p, (nuint)model.Length, sessionOptions.Pointer, &pointer));
            }
            handle.Adopt(pointer);
            return Wrap(handle, provider);
        }
    }

    /// <summary>Whether a provider (<c>cuda:0</c>, <c>cpu</c>) starts on this machine.</summary>
    public static bool IsProviderAvailable(string provider) => SessionOptionsBuilder.IsAvailable(provider);

    private static OnnxSession Wrap(OrtSessionHandle handle, string provider)
    {
        try
        {
            return new OnnxSession(handle, provider);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs with inputs in the order of <see cref="Inputs"/>; ORT allocates the outputs.</summary>
    public RunResult Run(params ReadOnlySpan<OnnxTensor> inputs)
    {
        TensorValidation.Check(inputs, _inputs, "input");
        if (!_allOutputsAreTensors)
        {
            var output = _outputs.First(o => o.Kind != ValueKind.Tensor);
            throw new NotSupportedException(
                $"Output '{output.Name}' is a {output.Kind.ToString().ToLowerInvariant()}; Orbit.Onnx returns tensors only.");
        }
        var count = _outputs.Length;
        Span<nint> produced = count <= StackLimit ? stackalloc nint[count] : new nint[count];
        produced.Clear();
        Invoke(inputs, produced);
        var tensors = new OnnxTensor[count];
        var adopted = 0;
        try
        {
            for (; adopted < count; adopted++)
            {
                tensors[adopted] = OnnxTensor.Adopt(produced[adopted], _outputs[adopted].ElementType);
            }
        }
        catch
        {
            for (var i = 0; i < adopted; i++)
            {
                tensors[i].Dispose();
            }
            // Adopt released the one it failed on.
            for (var i = adopted + 1; i < count; i++)
            {
                OrtApi.ReleaseValue(produced[i]);
            }
            throw;
        }
        return new RunResult(tensors, _outputs);
    }

    /// <summary>Runs with named inputs.</summary>
    public RunResult Run(IReadOnlyDictionary<string, OnnxTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ordered = new OnnxTensor[_inputs.Length];
        foreach (var (name, tensor) in inputs)
        {
            if (!_inputIndex.TryGetValue(name, out var index))
            {
                throw new ArgumentException(
                    $"The model has no input '{name}'; its inputs are: {string.Join(", ", _inputs.Select(i => $"'{i.Name}' {i}"))}.", nameof(inputs));
            }
            ordered[index] = tensor;
        }
        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw new ArgumentException($"Input '{_inputs[i].Name}' ({_inputs[i]}) is missing.", nameof(inputs));
            }
        }
        return Run(ordered);
    }

    /// <summary>Runs into preallocated outputs (in the order of <see cref="Outputs"/>): no allocation per call.</summary>
    public void Run(ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<OnnxTensor> outputs)
    {
        TensorValidation.Check(inputs, _inputs, "input");
        TensorValidation.Check(outputs, _outputs, "output");
        var count = outputs.Length;
        Span<nint> values = count <= StackLimit ? stackalloc nint[count] : new nint[count];
        var referenced = 0;
        try
        {
            for (; referenced < count; referenced++)
            {
                var added = false;
                outputs[referenced].Handle.DangerousAddRef(ref added);
                values[referenced] = outputs[referenced].Handle.Pointer;
            }
            Invoke(inputs, values);
        }
        finally
        {
            for (var i = 0; i < referenced; i++)
            {
                outputs[i].Handle.DangerousRelease();
            }
        }
    }

    private void Invoke(ReadOnlySpan<OnnxTensor> inputs, Span<nint> outputs)
    {
        var count = inputs.Length;
        Span<nint> values = count <= StackLimit ? stackalloc nint[count] : new nint[count];
        var sessionReferenced = false;
        var referenced = 0;
        try
        {
            _handle.DangerousAddRef(ref sessionReferenced);
            for (; referenced < count; referenced++)
            {
                var added = false;
                inputs[referenced].Handle.DangerousAddRef(ref added);
                values[referenced] = inputs[referenced].Handle.Pointer;
            }
            fixed (nint* inputValues = values)
            fixed (nint* outputValues = outputs)
            {
                OrtStatus.Check(OrtApi.Run(
                    _handle.Pointer, 0,
                    _inputNames.Pointers, inputValues, (nuint)count,
                    _outputNames.Pointers, (nuint)outputs.Length, outputValues));
            }
        }
        finally
        {
            for (var i = 0; i < referenced; i++)
            {
                inputs[i].Handle.DangerousRelease();
            }
            if (sessionReferenced)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
