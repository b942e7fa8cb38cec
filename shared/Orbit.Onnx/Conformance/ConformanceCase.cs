using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Conformance;

/// <summary>One folder laid out like ONNX's backend tests: model.onnx and test_data_set_N/{input,output}_K.pb.</summary>
internal sealed class ConformanceCase(string directory, ConformanceOptions options)
{
    public const string ModelFile = "model.onnx";

    private readonly string _name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));

    public CaseResult Run()
    {
        ModelSummary summary;
        try
        {
            summary = ModelSummaryReader.ReadFile(Path.Combine(directory, ModelFile));
        }
        catch (Exception e) when (e is IOException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return Result(CaseOutcome.Failed, $"cannot read {ModelFile}: {e.Message}", allTensors: false);
        }
        var allTensors = summary.Inputs.Concat(summary.Outputs).All(v => v.Kind == ValueKind.Tensor);
        var unsupported = summary.Inputs.Concat(summary.Outputs).FirstOrDefault(v => v.Kind is ValueKind.Opaque or ValueKind.SparseTensor or ValueKind.Unknown);
        if (unsupported is not null)
        {
            return Result(CaseOutcome.Unsupported, $"'{unsupported.Name}' is a {unsupported.Kind.ToString().ToLowerInvariant()}", allTensors);
        }
        OnnxSession session;
        try
        {
            session = OnnxSession.FromFile(Path.Combine(directory, ModelFile), new SessionOptions
            {
                IntraOpThreads = options.IntraOpThreads,
                InterOpThreads = 1,
                ExecutionProviders = options.ExecutionProviders,
            });
        }
        catch (OnnxRuntimeException e)
        {
            // A model ORT cannot load fails the case: only a known-failures list may excuse it.
            return Result(CaseOutcome.Failed, "ONNX Runtime cannot load it: " + FirstLine(e.Message), allTensors);
        }
        using (session)
        {
            var scaled = summary.OperatorTypes.Any(options.MagnitudeScaledOperators.Contains);
            foreach (var dataSet in Directory.GetDirectories(directory, "test_data_set_*").Order(StringComparer.Ordinal))
            {
                var result = RunDataSet(session, dataSet, scaled, allTensors);
                if (result is not null)
                {
                    return result;
                }
            }
        }
        return Result(CaseOutcome.Passed, "", allTensors);
    }

    private CaseResult? RunDataSet(OnnxSession session, string dataSet, bool magnitudeScaled, bool allTensors)
    {
        var set = Path.GetFileName(dataSet);
        DataValue[] inputs, expected;
        try
        {
            inputs = ReadNumbered(dataSet, "input", session.Inputs);
            expected = ReadNumbered(dataSet, "output", session.Outputs);
        }
        catch (NotSupportedException e)
        {
            return Result(CaseOutcome.Unsupported, $"{set}: {e.Message}", allTensors);
        }
        if (inputs.Length != session.Inputs.Count)
        {
            return Result(CaseOutcome.Failed, $"{set} has {inputs.Length} inputs, the session takes {session.Inputs.Count}", allTensors);
        }
        var owned = new List<IDisposable>();
        try
        {
            var names = new List<string>(inputs.Length);
            var values = new List<Ort.OrtValue>(inputs.Length);
            for (var k = 0; k < inputs.Length; k++)
            {
                // ORT takes a None optional input as one left out.
                if (inputs[k] is not DataOptional { Value: null })
                {
                    names.Add(session.Inputs[k].Name);
                    values.Add(DataValueOrt.ToOrtValue(inputs[k], owned));
                }
            }
            using var outputs = session.RunValues(names, values);
            for (var k = 0; k < expected.Length; k++)
            {
                var actual = DataValueOrt.FromOrtValue(outputs[k]);
                var atol = magnitudeScaled
                    ? Math.Max(options.AbsoluteTolerance, options.MagnitudeTolerance * DataValueComparison.MaxMagnitude(expected[k]))
                    : options.AbsoluteTolerance;
                var difference = DataValueComparison.Difference(expected[k], actual, options.RelativeTolerance, atol);
                if (difference is not null)
                {
                    return Result(CaseOutcome.Failed, $"{set} output '{session.Outputs[k].Name}': {difference}", allTensors);
                }
            }
            return null;
        }
        catch (NotSupportedException e)
        {
            return Result(CaseOutcome.Unsupported, $"{set}: {e.Message}", allTensors);
        }
        catch (Exception e) when (e is OnnxRuntimeException or Ort.OnnxRuntimeException or ArgumentException or InvalidOperationException)
        {
            return Result(CaseOutcome.Failed, $"{set}: {FirstLine(e.Message)}", allTensors);
        }
        finally
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].Dispose();
            }
        }
    }

    /// <summary>The data set's numbered files, each read as its declared kind and put in the session's order.</summary>
    private static DataValue[] ReadNumbered(string dataSet, string prefix, IReadOnlyList<TensorMetadata> declared)
    {
        var files = Directory.GetFiles(dataSet, prefix + "_*.pb")
            .OrderBy(path => int.Parse(Path.GetFileNameWithoutExtension(path)[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        var ordered = new DataValue[files.Length];
        for (var k = 0; k < files.Length; k++)
        {
            var positional = k < declared.Count ? declared[k] : null;
            var name = DataValueProtos.NameOf(files[k], positional?.Kind ?? ValueKind.Tensor);
            var index = IndexOf(declared, name, k);
            if (index >= ordered.Length)
            {
                throw new ArgumentException($"{Path.GetFileName(files[k])} has no place among the model's {prefix}s");
            }
            ordered[index] = AsDeclared(DataValueProtos.ReadFile(files[k], declared[index].Kind), declared[index]);
        }
        return ordered;
    }

    // ONNX's test data stores bfloat16 tensors as uint16 (numpy has no bfloat16): the bits are the same.
    private static DataValue AsDeclared(DataValue value, TensorMetadata declared) =>
        value is DataTensor { Tensor: var tensor }
        && declared.ElementType == TensorElementType.BFloat16 && tensor.ElementType == TensorElementType.UInt16
            ? new DataTensor(TensorProto.FromBytes(tensor.Name, TensorElementType.BFloat16, tensor.RawData, tensor.Dims.ToArray()))
            : value;

    // Some test values carry no name: then position decides.
    private static int IndexOf(IReadOnlyList<TensorMetadata> values, string name, int position)
    {
        for (var i = 0; name.Length > 0 && i < values.Count; i++)
        {
            if (values[i].Name == name)
            {
                return i;
            }
        }
        return position;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }

    private CaseResult Result(CaseOutcome outcome, string detail, bool allTensors) => new(_name, directory, outcome, detail, allTensors);
}
