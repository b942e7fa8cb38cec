using System.Runtime.InteropServices;

namespace Orbit.Onnx.Tensors;

/// <summary>Brain floating point: the upper 16 bits of an IEEE float32.</summary>
[StructLayout(LayoutKind.Sequential, Size = 2)]
public readonly struct BFloat16(ushort bits) : IEquatable<BFloat16>
{
    public ushort Bits { get; } = bits;

    public static explicit operator float(BFloat16 value) => BitConverter.Int32BitsToSingle(value.Bits << 16);

    /// <summary>Rounds to nearest even, keeping NaN a NaN.</summary>
    public static explicit operator BFloat16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value))
        {
            return new BFloat16((ushort)((bits >> 16) | 0x0040));
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return new BFloat16((ushort)((bits + rounding) >> 16));
    }

    public bool Equals(BFloat16 other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    public override int GetHashCode() => Bits;

    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool operator ==(BFloat16 left, BFloat16 right) => left.Equals(right);

    public static bool operator !=(BFloat16 left, BFloat16 right) => !left.Equals(right);
}
