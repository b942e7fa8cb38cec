using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

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
        var nonTensor = summary.Inputs.Concat(summary.Outputs).FirstOrDefault(v => v.Kind != ValueKind.Tensor);
        if (nonTensor is not null)
        {
            return Result(CaseOutcome.Unsupported, $"'{nonTensor.Name}' is a {nonTensor.Kind.ToString().ToLowerInvariant()}, not a tensor", allTensors: false);
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
            return Result(CaseOutcome.Unsupported, "ONNX Runtime cannot load it: " + FirstLine(e.Message), allTensors: true);
        }
        using (session)
        {
            foreach (var dataSet in Directory.GetDirectories(directory, "test_data_set_*").Order(StringComparer.Ordinal))
            {
                var result = RunDataSet(session, dataSet);
                if (result is not null)
                {
                    return result;
                }
            }
        }
        return Result(CaseOutcome.Passed, "", allTensors: true);
    }

    private CaseResult? RunDataSet(OnnxSession session, string dataSet)
    {
        TensorProto[] inputs, expected;
        try
        {
            inputs = ReadNumbered(dataSet, "input");
            expected = ReadNumbered(dataSet, "output");
        }
        catch (NotSupportedException e)
        {
            return Result(CaseOutcome.Unsupported, e.Message, allTensors: true);
        }
        var tensors = new List<OnnxTensor>();
        try
        {
            var ordered = new OnnxTensor[session.Inputs.Count];
            if (inputs.Length != ordered.Length)
            {
                return Result(CaseOutcome.Failed, $"{Path.GetFileName(dataSet)} has {inputs.Length} inputs, the session takes {ordered.Length}", true);
            }
            for (var k = 0; k < inputs.Length; k++)
            {
                var index = IndexOf(session.Inputs, inputs[k].Name, k);
                var tensor = AsDeclared(inputs[k], session.Inputs[index]).ToOnnxTensor();
                tensors.Add(tensor);
                ordered[index] = tensor;
            }
            using var outputs = session.Run(ordered);
            for (var k = 0; k < expected.Length; k++)
            {
                var index = IndexOf(session.Outputs, expected[k].Name, k);
                var actual = outputs[index].ToTensorProto(session.Outputs[index].Name);
                var difference = TensorComparison.Difference(AsDeclared(expected[k], session.Outputs[index]), actual, options.RelativeTolerance, options.AbsoluteTolerance);
                if (difference is not null)
                {
                    return Result(CaseOutcome.Failed, $"{Path.GetFileName(dataSet)} output '{session.Outputs[index].Name}': {difference}", true);
                }
            }
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return Result(CaseOutcome.Failed, $"{Path.GetFileName(dataSet)}: {FirstLine(e.Message)}", allTensors: true);
        }
        finally
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }

    // ONNX's test data stores bfloat16 tensors as uint16 (numpy has no bfloat16): the bits are the same.
    private static TensorProto AsDeclared(TensorProto tensor, TensorMetadata declared) =>
        declared.ElementType == TensorElementType.BFloat16 && tensor.ElementType == TensorElementType.UInt16
            ? TensorProto.FromBytes(tensor.Name, TensorElementType.BFloat16, tensor.RawData, tensor.Dims.ToArray())
            : tensor;

    // Some test tensors carry no name: then position decides.
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

    private static TensorProto[] ReadNumbered(string dataSet, string prefix) =>
        Directory.GetFiles(dataSet, prefix + "_*.pb")
            .OrderBy(path => int.Parse(Path.GetFileNameWithoutExtension(path)[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(TensorProtoReader.ReadFile)
            .ToArray();

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }

    private CaseResult Result(CaseOutcome outcome, string detail, bool allTensors) => new(_name, directory, outcome, detail, allTensors);
}
