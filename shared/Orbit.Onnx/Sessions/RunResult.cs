using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Sessions;

/// <summary>The outputs of one Run, in the session's output order. Disposing it disposes them.</summary>
public sealed class RunResult : IReadOnlyList<OnnxTensor>, IDisposable
{
    private readonly OnnxTensor[] _outputs;
    private readonly IReadOnlyList<TensorMetadata> _metadata;

    internal RunResult(OnnxTensor[] outputs, IReadOnlyList<TensorMetadata> metadata)
    {
        _outputs = outputs;
        _metadata = metadata;
    }

    public int Count => _outputs.Length;

    public OnnxTensor this[int index] => _outputs[index];

    public OnnxTensor this[string name]
    {
        get
        {
            for (var i = 0; i < _metadata.Count; i++)
            {
                if (_metadata[i].Name == name)
                {
                    return _outputs[i];
                }
            }
            throw new KeyNotFoundException(
                $"The model has no output '{name}'; its outputs are: {string.Join(", ", _metadata.Select(m => m.Name))}.");
        }
    }

    public IEnumerator<OnnxTensor> GetEnumerator() => ((IEnumerable<OnnxTensor>)_outputs).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var output in _outputs)
        {
            output.Dispose();
        }
    }
}
