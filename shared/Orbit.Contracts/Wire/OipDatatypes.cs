using System.Collections.Frozen;

namespace Orbit.Contracts.Wire;

/// <summary>One Open Inference Protocol datatype: its name, bytes per element (-1 for length-prefixed BYTES), and the ONNX element type it stands for.</summary>
public sealed record OipDatatype(string Name, int Size, int OnnxElementType, string OnnxName);

/// <summary>
/// The Open Inference Protocol's tensor datatypes and the ONNX element types they stand for
/// (<c>OnnxElementType</c> is ONNX's TensorProto.DataType number, which ONNX Runtime uses too).
/// </summary>
public static class OipDatatypes
{
    public static readonly IReadOnlyList<OipDatatype> All =
    [
        new("BOOL", 1, 9, "bool"),
        new("UINT8", 1, 2, "uint8"),
        new("UINT16", 2, 4, "uint16"),
        new("UINT32", 4, 12, "uint32"),
        new("UINT64", 8, 13, "uint64"),
        new("INT8", 1, 3, "int8"),
        new("INT16", 2, 5, "int16"),
        new("INT32", 4, 6, "int32"),
        new("INT64", 8, 7, "int64"),
        new("FP16", 2, 10, "float16"),
        new("FP32", 4, 1, "float"),
        new("FP64", 8, 11, "double"),
        new("BF16", 2, 16, "bfloat16"),
        new("BYTES", -1, 8, "string"),
    ];

    private static readonly FrozenDictionary<string, OipDatatype> ByName = All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);
    private static readonly FrozenDictionary<int, OipDatatype> ByOnnxElementType = All.ToFrozenDictionary(d => d.OnnxElementType);
    private static readonly FrozenDictionary<string, OipDatatype> ByOnnxName = All.ToFrozenDictionary(d => d.OnnxName, StringComparer.Ordinal);

    /// <summary>The names, for error messages: "BOOL, UINT8, …".</summary>
    public static readonly string Known = string.Join(", ", All.Select(d => d.Name));

    public static bool TryGet(string? name, out OipDatatype datatype) => ByName.TryGetValue(name ?? "", out datatype!);

    public static bool TryFromOnnx(int onnxElementType, out OipDatatype datatype) => ByOnnxElementType.TryGetValue(onnxElementType, out datatype!);

    /// <summary>Bytes per element; -1 for BYTES (length-prefixed), 0 for a name that is not a datatype.</summary>
    public static int SizeOf(string datatype) => ByName.TryGetValue(datatype, out var d) ? d.Size : 0;

    /// <summary>ONNX's element type name (as the registry's signatures give it) in OIP terms; an unknown name is returned upper-cased.</summary>
    public static string FromOnnxName(string onnxName) => ByOnnxName.TryGetValue(onnxName, out var d) ? d.Name : onnxName.ToUpperInvariant();
}
