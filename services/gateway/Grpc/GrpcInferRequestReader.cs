using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// Reads a gRPC <c>ModelInferRequest</c> into the same request the REST reader makes: each input's elements, from
/// <c>raw_input_contents</c> or from the typed <c>contents</c> field of its datatype, become little-endian bytes,
/// checked against its shape. As over REST, nothing is allocated from a declared shape before the data's actual
/// size is known to match it. Errors name the field, as the request's message spells it.
/// </summary>
internal static class GrpcInferRequestReader
{
    public static (OipRequestReader.Request? Request, string? Error) Read(ModelInferRequest request)
    {
        if (request.Inputs.Count == 0)
        {
            return (null, "'inputs' must not be empty");
        }

        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            return (null, $"'raw_input_contents' has {raw.Count} entries but there are {request.Inputs.Count} inputs: give one per input, in the order of 'inputs'");
        }

        var (routingKey, timeout, logPrediction, parameterError) = ReadParameters(request);
        if (parameterError is not null)
        {
            return (null, parameterError);
        }

        var tensors = new List<InferenceTensor>(request.Inputs.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var (tensor, error) = ReadInput(request.Inputs[i], i, raw.Count > 0 ? raw[i] : null);
            if (error is not null)
            {
                return (null, error);
            }

            if (!names.Add(tensor!.Name))
            {
                return (null, $"input '{tensor.Name}' is given twice");
            }

            tensors.Add(tensor);
        }

        List<string>? outputs = null;
        if (request.Outputs.Count > 0)
        {
            outputs = new List<string>(request.Outputs.Count);
            for (var i = 0; i < request.Outputs.Count; i++)
            {
                if (request.Outputs[i].Name.Length == 0)
                {
                    return (null, $"outputs[{i}] needs a 'name'");
                }

                outputs.Add(request.Outputs[i].Name);
            }
        }

        var id = request.Id.Length > 0 ? request.Id : null;
        return (new OipRequestReader.Request(id, tensors, outputs, routingKey, timeout, logPrediction), null);
    }

    /// <summary>The request parameters REST reads too: <c>routing_key</c>, <c>timeout</c> (ms) and <c>log_prediction</c>.</summary>
    private static (string? RoutingKey, int? Timeout, bool LogPrediction, string? Error) ReadParameters(ModelInferRequest request)
    {
        string? routingKey = null;
        if (request.Parameters.TryGetValue("routing_key", out var key))
        {
            routingKey = key.ParameterChoiceCase switch
            {
                InferParameter.ParameterChoiceOneofCase.StringParam => key.StringParam,
                InferParameter.ParameterChoiceOneofCase.Int64Param => key.Int64Param.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (routingKey is null)
            {
                return (null, null, false, "parameters.routing_key must be a string_param or an int64_param");
            }
        }

        int? timeout = null;
        if (request.Parameters.TryGetValue("timeout", out var t))
        {
            if (t.ParameterChoiceCase != InferParameter.ParameterChoiceOneofCase.Int64Param || t.Int64Param is <= 0 or > int.MaxValue)
            {
                return (null, null, false, "parameters.timeout must be an int64_param: a positive number of milliseconds");
            }

            timeout = (int)t.Int64Param;
        }

        var logPrediction = false;
        if (request.Parameters.TryGetValue("log_prediction", out var log))
        {
            if (log.ParameterChoiceCase != InferParameter.ParameterChoiceOneofCase.BoolParam)
            {
                return (null, null, false, "parameters.log_prediction must be a bool_param");
            }

            logPrediction = log.BoolParam;
        }

        return (routingKey, timeout, logPrediction, null);
    }

    private static (InferenceTensor? Tensor, string? Error) ReadInput(ModelInferRequest.Types.InferInputTensor input, int index, ByteString? raw)
    {
        if (input.Name.Length == 0)
        {
            return (null, $"inputs[{index}] needs a 'name'");
        }

        var name = input.Name;
        if (OipDatatypes.SizeOf(input.Datatype) == 0)
        {
            return (null, $"input '{name}' has datatype '{input.Datatype}'; it must be one of {OipDatatypes.Known}");
        }

        var shape = input.Shape.ToArray();
        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0)
            {
                return (null, $"input '{name}' has shape dimension {d} that is not a size (0 or more)");
            }
        }

        if (TensorShape.ElementCount(shape) is not { } count)
        {
            return (null, $"input '{name}' has shape [{TensorShape.Describe(shape)}] whose element count overflows");
        }

        if (raw is not null)
        {
            if (input.Contents is not null)
            {
                return (null, $"input '{name}' has 'contents' and the request has 'raw_input_contents': use one or the other");
            }

            var error = CheckRaw(raw, name, input.Datatype, shape, count, index);
            return error is null ? (new InferenceTensor(name, input.Datatype, shape, RawData: Bytes(raw)), null) : (null, error);
        }

        if (input.Contents is null)
        {
            return (null, $"input '{name}' has no data: set its 'contents' or the request's 'raw_input_contents'");
        }

        var (bytes, contentsError) = GrpcTensorContents.ToRaw(input.Contents, name, input.Datatype, shape, count);
        return bytes is null ? (null, contentsError) : (new InferenceTensor(name, input.Datatype, shape, RawData: bytes), null);
    }

    /// <summary>A fixed-size datatype's raw bytes are exactly its elements; BYTES are exactly <paramref name="count"/> length-prefixed elements.</summary>
    private static string? CheckRaw(ByteString raw, string name, string datatype, long[] shape, long count, int index)
    {
        var size = OipDatatypes.SizeOf(datatype);
        if (size > 0)
        {
            // Compared without multiplying first: a huge declared count must not overflow into a match.
            return count <= raw.Length && count * size == raw.Length
                ? null
                : $"raw_input_contents[{index}] for input '{name}' has {raw.Length} bytes but its shape [{TensorShape.Describe(shape)}] of {datatype} needs {(count <= int.MaxValue ? (count * size).ToString(System.Globalization.CultureInfo.InvariantCulture) : "more than 2^31")}";
        }

        var elements = GrpcTensorContents.CountLengthPrefixed(raw.Span);
        return elements == count
            ? null
            : elements < 0
                ? $"raw_input_contents[{index}] for input '{name}' is not BYTES elements (each a 4-byte little-endian length and that many bytes)"
                : $"raw_input_contents[{index}] for input '{name}' holds {elements} BYTES elements but its shape [{TensorShape.Describe(shape)}] needs {count}";
    }

    /// <summary>The parsed message's own array when it holds exactly these bytes (it is not used again): no copy of image-sized inputs.</summary>
    private static byte[] Bytes(ByteString raw) =>
        MemoryMarshal.TryGetArray(raw.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : raw.ToByteArray();
}
