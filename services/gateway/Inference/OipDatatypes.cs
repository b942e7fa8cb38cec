namespace Orbit.Gateway.Inference;

/// <summary>The Open Inference Protocol's tensor datatypes, their sizes, and the ONNX element types they stand for.</summary>
internal static class OipDatatypes
{
    /// <summary>Bytes per element; -1 for BYTES (length-prefixed), 0 for a name that is not a datatype.</summary>
    public static int SizeOf(string datatype) => datatype switch
    {
        "BOOL" or "UINT8" or "INT8" => 1,
        "UINT16" or "INT16" or "FP16" => 2,
        "UINT32" or "INT32" or "FP32" => 4,
        "UINT64" or "INT64" or "FP64" => 8,
        "BYTES" => -1,
        _ => 0,
    };

    public const string Known = "BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES";

    /// <summary>ONNX's element type name (as the registry's signature gives it) in OIP terms.</summary>
    public static string FromOnnx(string onnx) => onnx switch
    {
        "bool" => "BOOL",
        "uint8" => "UINT8",
        "uint16" => "UINT16",
        "uint32" => "UINT32",
        "uint64" => "UINT64",
        "int8" => "INT8",
        "int16" => "INT16",
        "int32" => "INT32",
        "int64" => "INT64",
        "float16" => "FP16",
        "float" => "FP32",
        "double" => "FP64",
        "string" => "BYTES",
        "bfloat16" => "BF16",
        _ => onnx.ToUpperInvariant(),
    };
}
