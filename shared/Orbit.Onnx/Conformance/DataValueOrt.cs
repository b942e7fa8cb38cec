using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Conformance;

/// <summary>Backend-case values to and from the official binding's OrtValues (tensors, sequences, maps).</summary>
internal static class DataValueOrt
{
    /// <summary>An OrtValue holding a copy of <paramref name="value"/>; what must be disposed afterwards goes to <paramref name="owned"/>.</summary>
    public static Ort.OrtValue ToOrtValue(DataValue value, List<IDisposable> owned)
    {
        switch (value)
        {
            case DataTensor tensor:
                var onnxTensor = tensor.Tensor.ToOnnxTensor();
                owned.Add(onnxTensor);
                return onnxTensor.Value;
            case DataSequence sequence:
                var items = sequence.Items.Select(item => ToOrtValue(item, owned)).ToList();
                var created = Ort.OrtValue.CreateSequence(items);
                owned.Add(created);
                return created;
            case DataMap map:
                var keys = ToOrtValue(new DataTensor(map.Keys), owned);
                var values = ToOrtValue(new DataTensor(Concatenate(map.Values)), owned);
                var mapValue = Ort.OrtValue.CreateMap(ref keys, ref values);
                owned.Add(mapValue);
                return mapValue;
            case DataOptional { Value: { } contained }:
                // ORT takes an optional that holds a value as that value.
                return ToOrtValue(contained, owned);
            default:
                throw new NotSupportedException("a None optional inside another value: ORT's API has no None value");
        }
    }

    /// <summary>A copy of what an OrtValue that ORT produced holds.</summary>
    public static DataValue FromOrtValue(Ort.OrtValue value)
    {
        switch (value.OnnxType)
        {
            case Ort.OnnxValueType.ONNX_TYPE_TENSOR:
                return new DataTensor(ToTensorProto(value));
            case Ort.OnnxValueType.ONNX_TYPE_SEQUENCE:
                var items = new DataValue[value.GetValueCount()];
                for (var i = 0; i < items.Length; i++)
                {
                    using var item = value.GetValue(i, Ort.OrtAllocator.DefaultInstance);
                    items[i] = FromOrtValue(item);
                }
                return new DataSequence(items);
            case Ort.OnnxValueType.ONNX_TYPE_MAP:
                using (var keys = value.GetValue(0, Ort.OrtAllocator.DefaultInstance))
                using (var values = value.GetValue(1, Ort.OrtAllocator.DefaultInstance))
                {
                    return new DataMap(ToTensorProto(keys), Split(ToTensorProto(values)));
                }
            default:
                throw new NotSupportedException($"an output of type {value.OnnxType}");
        }
    }

    private static TensorProto ToTensorProto(Ort.OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var type = (TensorElementType)info.ElementDataType;
        if (type == TensorElementType.String)
        {
            return TensorProto.FromStrings("", info.ElementCount == 0 ? [] : value.GetStringTensorAsArray(), info.Shape);
        }
        if (ElementTypes.SizeOf(type) == 0)
        {
            throw new NotSupportedException($"an output of element type {ElementTypes.Name(type)}");
        }
        var bytes = info.ElementCount == 0 ? [] : value.GetTensorMutableRawData().ToArray();
        return TensorProto.FromBytes("", type, bytes, info.Shape);
    }

    // A MapProto keeps its values as a sequence of scalars; ORT's map takes them as one 1-D tensor.
    private static TensorProto Concatenate(DataSequence values)
    {
        var tensors = values.Items.Cast<DataTensor>().Select(t => t.Tensor).ToArray();
        if (tensors.Length == 0 || tensors.Any(t => t.ElementCount != 1))
        {
            throw new NotSupportedException("map values other than scalars");
        }
        return tensors[0].ElementType == TensorElementType.String
            ? TensorProto.FromStrings("", tensors.Select(t => t.Strings[0]).ToArray(), tensors.Length)
            : TensorProto.FromBytes("", tensors[0].ElementType, tensors.SelectMany(t => t.RawData).ToArray(), tensors.Length);
    }

    private static DataSequence Split(TensorProto values)
    {
        var count = (int)values.ElementCount;
        var size = ElementTypes.SizeOf(values.ElementType);
        return new DataSequence(Enumerable.Range(0, count).Select(i => (DataValue)new DataTensor(values.ElementType == TensorElementType.String
            ? TensorProto.FromStrings("", [values.Strings[i]])
            : TensorProto.FromBytes("", values.ElementType, values.RawData.AsSpan(i * size, size).ToArray()))).ToArray());
    }
}
