using System.Buffers.Binary;
using System.Text;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>Writes NumPy's .npy format (version 1.0) for little-endian float32 arrays, as <c>numpy.load</c> reads it.</summary>
internal static class Npy
{
    public static string Write(string path, float[] values, long[] shape)
    {
        var dims = string.Join(", ", shape) + (shape.Length == 1 ? "," : "");
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // The magic, version and length take 10 bytes; the header is padded with spaces to a multiple of 64, ending in a newline.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, .. "NUMPY"u8, 1, 0]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)padded.Length);
        file.Write(length);
        file.Write(Encoding.ASCII.GetBytes(padded));
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        file.Write(data);
        return path;
    }
}
