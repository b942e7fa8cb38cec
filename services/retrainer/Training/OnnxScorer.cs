using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Retrainer.Training;

/// <summary>
/// Runs a model through Orbit's ONNX Runtime path (the workers' serving settings) on a table's features and
/// reads one score per row: for classifiers the probability of class 1 (the first float output whose name
/// contains <c>prob</c>, its last column; else the first float output), for regressors the first float output's
/// first column. The model must have one input, a float tensor [batch, n_features]: a feature is the k-th column.
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    private const int ChunkRows = 4096;

    private readonly OnnxSession _session;
    private readonly int _output;

    // A probability output holds P(class 1) in its last column; any other output is read from its first.
    private readonly bool _lastColumn;

    private OnnxScorer(OnnxSession session, int output)
    {
        _session = session;
        _output = output;
        _lastColumn = session.Outputs[output].Name.Contains("prob", StringComparison.OrdinalIgnoreCase);
    }

    public string InputName => _session.Inputs[0].Name;

    public string OutputName => _session.Outputs[_output].Name;

    /// <summary>Loads <paramref name="onnx"/> for <paramref name="task"/> with <paramref name="width"/> features, or says why it cannot serve them.</summary>
    /// <exception cref="InvalidModelException">The bytes do not load, or the signature does not fit.</exception>
    public static OnnxScorer Load(byte[] onnx, LearningTask task, int width)
    {
        OnnxSession session;
        try
        {
            session = OnnxSession.FromBytes(onnx, ServingSessions.Options("cpu", 1));
        }
        catch (Exception ex) when (ex is Orbit.Onnx.OnnxRuntimeException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new InvalidModelException("ONNX Runtime cannot load the model: " + ex.Message, ex);
        }

        try
        {
            if (session.Inputs.Count != 1
                || session.Inputs[0] is not { Kind: ValueKind.Tensor, ElementType: TensorElementType.Float } input
                || input.Dimensions.Count != 2
                || (input.Dimensions[1].IsFixed && input.Dimensions[1].Size != width))
            {
                throw new InvalidModelException(
                    $"The model must have one input, a float tensor [batch, {width}]; it has {string.Join(", ", session.Inputs.Select(i => $"'{i.Name}' {i}"))}.");
            }

            var floats = Enumerable.Range(0, session.Outputs.Count)
                .Where(i => session.Outputs[i] is { Kind: ValueKind.Tensor, ElementType: TensorElementType.Float })
                .ToArray();
            if (floats.Length == 0)
            {
                throw new InvalidModelException("The model has no float tensor output to read a score from.");
            }

            var output = task == LearningTask.BinaryClassification
                ? floats.FirstOrDefault(i => session.Outputs[i].Name.Contains("prob", StringComparison.OrdinalIgnoreCase), floats[0])
                : floats[0];
            if (session.Outputs.Any(o => o.Kind != ValueKind.Tensor))
            {
                throw new InvalidModelException(
                    $"Every output must be a tensor (Orbit's workers answer tensors); '{session.Outputs.First(o => o.Kind != ValueKind.Tensor).Name}' is not.");
            }

            return new OnnxScorer(session, output);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>One score per row.</summary>
    /// <exception cref="InvalidModelException">The run fails or its output has an unexpected shape.</exception>
    public double[] Score(float[][] rows)
    {
        var width = rows.Length == 0 ? 0 : rows[0].Length;
        var scores = new double[rows.Length];
        for (var start = 0; start < rows.Length; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows.Length - start);
            var flat = new float[count * width];
            for (var r = 0; r < count; r++)
            {
                rows[start + r].CopyTo(flat, r * width);
            }

            using var input = OnnxTensor.FromArray(flat, count, width);
            RunResult result;
            try
            {
                result = _session.Run(input);
            }
            catch (Exception ex) when (ex is Orbit.Onnx.OnnxRuntimeException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                throw new InvalidModelException("ONNX Runtime failed to run the model: " + ex.Message, ex);
            }

            using (result)
            {
                var output = result[_output];
                var values = output.AsSpan<float>();
                if (output.Shape.Length == 0 || output.Shape[0] != count || values.Length % count != 0)
                {
                    throw new InvalidModelException(
                        $"Output '{OutputName}' has shape [{string.Join(",", output.Shape.ToArray())}] for {count} rows; expected [{count}] or [{count}, k].");
                }

                var columns = values.Length / count;
                var column = _lastColumn ? columns - 1 : 0;
                for (var r = 0; r < count; r++)
                {
                    scores[start + r] = values[r * columns + column];
                }
            }
        }

        return scores;
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>A trained (or stored) model that cannot serve: it does not load, its signature does not fit, or it answers wrongly.</summary>
internal sealed class InvalidModelException(string message, Exception? inner = null) : Exception(message, inner);
