using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Checks a request against the session's inputs (names, datatypes, ranks, fixed dimensions,
/// element counts) and decodes it, in the session's input order. The first problem found is
/// returned with the field it concerns, e.g. <c>inputs[1].datatype</c>.
/// </summary>
internal static class RequestValidator
{
    public static DecodedTensor[]? Validate(InferenceRequested request, OnnxSession session, out InputError? error)
    {
        error = null;
        if (request.Inputs is null || request.Inputs.Count == 0)
        {
            error = new InputError("inputs", $"the request has no inputs; the model takes {Describe(session.Inputs)}");
            return null;
        }

        var decoded = new DecodedTensor[session.Inputs.Count];
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            var field = $"inputs[{i}]";
            if (input is null)
            {
                error = new InputError(field, $"inputs[{i}] is null");
                return null;
            }

            var index = IndexOf(session.Inputs, input.Name);
            if (index < 0)
            {
                error = new InputError($"{field}.name", $"the model has no input '{input.Name}'; it takes {Describe(session.Inputs)}");
                return null;
            }

            if (decoded[index] is not null)
            {
                error = new InputError($"{field}.name", $"input '{input.Name}' is given twice");
                return null;
            }

            var expected = session.Inputs[index];
            if (!OipElementTypes.TryParse(input.Datatype, out var type))
            {
                error = new InputError($"{field}.datatype", $"input '{input.Name}' has datatype '{input.Datatype}', which is not an Open Inference Protocol datatype");
                return null;
            }

            var expectedName = Datatype(expected.ElementType);
            if (type != expected.ElementType)
            {
                error = new InputError($"{field}.datatype", $"input '{input.Name}' is {input.Datatype}; the model expects {expectedName}");
                return null;
            }

            if (input.Shape is null || !Fits(input.Shape, expected.Dimensions))
            {
                error = new InputError($"{field}.shape",
                    $"input '{input.Name}' has shape {TensorDecoder.Format(input.Shape ?? [])}; the model expects {Shape(expected.Dimensions)}");
                return null;
            }

            var tensor = TensorDecoder.Decode(input, type, i, out error);
            if (tensor is null)
            {
                return null;
            }

            decoded[index] = tensor;
        }

        for (var i = 0; i < decoded.Length; i++)
        {
            if (decoded[i] is null)
            {
                error = new InputError("inputs", $"input '{session.Inputs[i].Name}' ({Datatype(session.Inputs[i].ElementType)} {Shape(session.Inputs[i].Dimensions)}) is missing");
                return null;
            }
        }

        if (request.RequestedOutputs is { } wanted)
        {
            for (var j = 0; j < wanted.Count; j++)
            {
                if (IndexOf(session.Outputs, wanted[j]) < 0)
                {
                    error = new InputError($"requestedOutputs[{j}]",
                        $"the model has no output '{wanted[j]}'; its outputs are {string.Join(", ", session.Outputs.Select(o => $"'{o.Name}'"))}");
                    return null;
                }
            }
        }

        return decoded;
    }

    private static int IndexOf(IReadOnlyList<TensorMetadata> values, string? name)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Fits(long[] shape, IReadOnlyList<Dimension> dims)
    {
        if (shape.Length != dims.Count)
        {
            return false;
        }

        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0 || (dims[d].IsFixed && dims[d].Size != shape[d]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Datatype(TensorElementType type)
    {
        try
        {
            return OipElementTypes.Name(type);
        }
        catch (NotSupportedException)
        {
            return ElementTypes.Name(type);
        }
    }

    private static string Shape(IReadOnlyList<Dimension> dims) => "[" + string.Join(",", dims.Select(d => d.IsFixed ? d.ToString() : "-1")) + "]";

    private static string Describe(IReadOnlyList<TensorMetadata> inputs) =>
        string.Join(", ", inputs.Select(i => $"'{i.Name}' {Datatype(i.ElementType)} {Shape(i.Dimensions)}"));
}
