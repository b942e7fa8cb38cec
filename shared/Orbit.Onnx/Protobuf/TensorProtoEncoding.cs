namespace Orbit.Onnx.Protobuf;

public enum TensorProtoEncoding
{
    /// <summary>Elements in raw_data (strings always go to string_data).</summary>
    RawData,

    /// <summary>Elements in the typed fields: float_data, int32_data, int64_data, double_data, uint64_data.</summary>
    TypedFields,
}
