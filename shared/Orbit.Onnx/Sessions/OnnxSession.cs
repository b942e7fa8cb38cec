using System.Collections.Frozen;
using Orbit.Onnx.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Sessions;

/// <summary>A loaded model over the official <see cref="Ort.InferenceSession"/>. Run may be called from many threads at once.</summary>
public sealed class OnnxSession : IDisposable
{
    private readonly Ort.InferenceSession _session;
    private readonly Ort.RunOptions _runOptions = new();
    private readonly TensorMetadata[] _inputs;
    private readonly TensorMetadata[] _outputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly FrozenDictionary<string, int> _inputIndex;
    private readonly bool _allOutputsAreTensors;
    private bool _disposed;

    private OnnxSession(Ort.InferenceSession session, string provider, string? fallbackReason)
    {
        _session = session;
        ExecutionProvider = provider;
        ProviderFallbackReason = fallbackReason;
        _inputNames = [.. session.InputNames];
        _outputNames = [.. session.OutputNames];
        _inputs = SessionMetadata.Describe(_inputNames, session.InputMetadata);
        _outputs = SessionMetadata.Describe(_outputNames, session.OutputMetadata);
        _inputIndex = _inputs.Select((input, index) => KeyValuePair.Create(input.Name, index)).ToFrozenDictionary();
        _allOutputsAreTensors = _outputs.All(o => o.Kind == ValueKind.Tensor);
    }

    public IReadOnlyList<TensorMetadata> Inputs => _inputs;

    public IReadOnlyList<TensorMetadata> Outputs => _outputs;

    /// <summary>The provider the session got: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>
    /// Why an earlier provider in <see cref="SessionOptions.ExecutionProviders"/> did not start, in ORT's words
    /// (e.g. <c>cuda:0: Failed to load shared library …</c>); null when the first one did.
    /// </summary>
    public string? ProviderFallbackReason { get; }

    /// <summary>The official session, for anything Orbit.Onnx does not wrap.</summary>
    public Ort.InferenceSession InferenceSession => _session;

    public static OnnxSession FromFile(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Open(native => new Ort.InferenceSession(path, native), options);
    }

    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, SessionOptions? options = null)
    {
        var bytes = model.ToArray();
        return Open(native => new Ort.InferenceSession(bytes, native), options);
    }

    /// <summary>Whether a provider (<c>cuda:0</c>, <c>cpu</c>) starts on this machine.</summary>
    public static bool IsProviderAvailable(string provider) => SessionOptionsBuilder.IsAvailable(provider);

    // Providers are tried in order: one that cannot be appended, or whose session fails because the provider
    // failed (a CUDA library that loads lazily), is skipped with ORT's reason; any other load error is the model's.
    private static OnnxSession Open(Func<Ort.SessionOptions, Ort.InferenceSession> create, SessionOptions? options)
    {
        var settings = options ?? new SessionOptions();
        var providers = SessionOptionsBuilder.Providers(settings);
        var failures = new List<string>();
        for (var i = 0; i < providers.Length; i++)
        {
            var provider = providers[i];
            Ort.SessionOptions native;
            try
            {
                native = SessionOptionsBuilder.Create(settings, provider);
            }
            catch (Exception e) when (SessionOptionsBuilder.ProviderFailure(e) is { } reason)
            {
                failures.Add($"{provider}: {reason}");
                continue;
            }
            using (native)
            {
                Ort.InferenceSession session;
                try
                {
                    session = create(native);
                }
                catch (Ort.OnnxRuntimeException e) when (provider.Kind != Sessions.ExecutionProvider.Cpu && i + 1 < providers.Length && IsProviderError(e))
                {
                    failures.Add($"{provider}: {OnnxRuntimeException.From(e).OrtMessage}");
                    continue;
                }
                catch (Ort.OnnxRuntimeException e)
                {
                    throw OnnxRuntimeException.From(e);
                }
                var reason = failures.Count == 0 ? null : string.Join("; ", failures);
                if (reason is not null)
                {
                    SessionOptionsBuilder.LogFallbackOnce(reason, provider.ToString());
                }
                try
                {
                    return new OnnxSession(session, provider.ToString(), reason);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
        }
        throw new OnnxRuntimeException(OrtErrorCode.EpFail, "No execution provider could start: " + string.Join("; ", failures));
    }

    private static bool IsProviderError(Ort.OnnxRuntimeException e) =>
        e.Message.Contains("Failed to load", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("CUDA", StringComparison.Ordinal)
        || e.Message.Contains("[ErrorCode:EpFail]", StringComparison.Ordinal);

    /// <summary>Runs with inputs in the order of <see cref="Inputs"/>; ORT allocates the outputs.</summary>
    public RunResult Run(params ReadOnlySpan<OnnxTensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TensorValidation.Check(inputs, _inputs, "input");
        if (!_allOutputsAreTensors)
        {
            var output = _outputs.First(o => o.Kind != ValueKind.Tensor);
            throw new NotSupportedException(
                $"Output '{output.Name}' is a {output.Kind.ToString().ToLowerInvariant()}; Run returns tensors only (RunValues takes any value).");
        }
        var produced = RunValues(Values(inputs));
        var tensors = new OnnxTensor[produced.Count];
        var adopted = 0;
        try
        {
            // Each output moves into an OnnxTensor, which releases it; the collection holds nothing else.
            for (; adopted < tensors.Length; adopted++)
            {
                tensors[adopted] = OnnxTensor.Adopt(produced[adopted]);
            }
        }
        catch
        {
            for (var i = 0; i < adopted; i++)
            {
                tensors[i].Dispose();
            }
            // OrtValue.Dispose is idempotent: this releases only those not adopted.
            produced.Dispose();
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

    /// <summary>Runs into preallocated outputs (in the order of <see cref="Outputs"/>): ORT allocates nothing for them.</summary>
    public void Run(ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<OnnxTensor> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TensorValidation.Check(inputs, _inputs, "input");
        TensorValidation.Check(outputs, _outputs, "output");
        try
        {
            _session.Run(_runOptions, _inputNames, Values(inputs), _outputNames, Values(outputs));
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
    }

    /// <summary>
    /// Runs any ONNX values (tensors, sequences, maps, optionals) in the order of <see cref="Inputs"/> and
    /// returns every output, which the caller disposes. No checks beyond ORT's own.
    /// </summary>
    public Ort.IDisposableReadOnlyCollection<Ort.OrtValue> RunValues(IReadOnlyCollection<Ort.OrtValue> inputs) =>
        RunValues(_inputNames, inputs);

    /// <summary>
    /// Runs the named inputs only: an optional input left out is None to ORT (its API has no None value to pass).
    /// </summary>
    public Ort.IDisposableReadOnlyCollection<Ort.OrtValue> RunValues(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<Ort.OrtValue> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(inputs);
        try
        {
            return _session.Run(_runOptions, inputNames, inputs, _outputNames);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
    }

    /// <summary>An IOBinding over this session: inputs and outputs bound once, then run many times.</summary>
    public OnnxBinding Bind()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new OnnxBinding(_session, _runOptions, _inputNames, _outputNames);
    }

    private static Ort.OrtValue[] Values(ReadOnlySpan<OnnxTensor> tensors)
    {
        var values = new Ort.OrtValue[tensors.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = tensors[i].Value;
        }
        return values;
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
    }
}
