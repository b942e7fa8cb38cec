using System.Buffers.Binary;

namespace Orbit.Gateway.Inference;

/// <summary>
/// The Open Inference Protocol's binary tensor data extension over HTTP (as Triton's HTTP clients speak it): a JSON
/// header whose length <see cref="HeaderLength"/> gives, followed by each binary tensor's raw little-endian bytes in
/// the order the header lists them. BYTES elements are each a 4-byte little-endian length and that many bytes.
/// </summary>
internal static class BinaryTensorData
{
    public const string HeaderLength = "Inference-Header-Content-Length";
    public const string ContentType = "application/octet-stream";
    public const string Extension = "binary_tensor_data";

    /// <summary>On an input or output: the byte size of its binary data.</summary>
    public const string SizeParameter = "binary_data_size";

    /// <summary>On a requested output: return it as binary data.</summary>
    public const string OutputParameter = "binary_data";

    /// <summary>On the request: return every output as binary data unless the output says otherwise.</summary>
    public const string AllOutputsParameter = "binary_data_output";

    /// <summary>
    /// That a BYTES tensor's binary data is exactly <paramref name="count"/> length-prefixed elements: no length
    /// runs past the end, and nothing is left after the last.
    /// </summary>
    public static string? CheckBytes(ReadOnlySpan<byte> raw, long count, string name)
    {
        var at = 0;
        for (long element = 0; element < count; element++)
        {
            if (raw.Length - at < 4)
            {
                return $"input '{name}' BYTES element {element}'s 4-byte length prefix runs past the end of its {raw.Length} bytes of binary data";
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw[at..]);
            at += 4;
            if (length > (uint)(raw.Length - at))
            {
                return $"input '{name}' BYTES element {element} has length {length}, past the end of its {raw.Length} bytes of binary data";
            }

            at += (int)length;
        }

        return at == raw.Length
            ? null
            : $"input '{name}' has {raw.Length - at} bytes of binary data left after its {count} BYTES elements";
    }
}
