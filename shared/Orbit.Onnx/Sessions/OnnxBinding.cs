using Orbit.Onnx.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Sessions;

/// <summary>
/// ORT's IOBinding: inputs and outputs bound once by position, then <see cref="Run"/> as often as needed with
/// no per-call marshalling. The bound tensors must outlive the binding's use. Not for concurrent use.
/// </summary>
public sealed class OnnxBinding : IDisposable
{
    private readonly Ort.InferenceSession _session;
    private readonly Ort.RunOptions _runOptions;
    private readonly Ort.OrtIoBinding _binding;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    internal OnnxBinding(Ort.InferenceSession session, Ort.RunOptions runOptions, string[] inputNames, string[] outputNames)
    {
        _session = session;
        _runOptions = runOptions;
        _inputNames = inputNames;
        _outputNames = outputNames;
        _binding = session.CreateIoBinding();
    }

    public OnnxBinding BindInput(int index, OnnxTensor tensor)
    {
        _binding.BindInput(_inputNames[index], tensor.Value);
        return this;
    }

    public OnnxBinding BindOutput(int index, OnnxTensor tensor)
    {
        _binding.BindOutput(_outputNames[index], tensor.Value);
        return this;
    }

    public void Run()
    {
        try
        {
            _session.RunWithBinding(_runOptions, _binding);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
    }

    public void Dispose() => _binding.Dispose();
}
