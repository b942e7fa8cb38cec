using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Orbit.Hosting.Streams;

/// <summary>
/// A finite float32 as the shortest decimal that reads back as the same float32 (the closest such decimal when there are
/// several), in UTF-8, byte for byte the text of <c>float.TryFormat</c> and <c>Utf8JsonWriter.WriteNumberValue(float)</c>:
/// plain digits from 1E-04 up to below 1E+09 (<c>0.0001</c>, <c>123456790</c>), otherwise <c>1.5E-05</c>, <c>3.4028235E+38</c>;
/// <c>-0</c> for negative zero. Every output is a JSON number. About 2.7 times faster than .NET's formatting (see
/// docs/benchmarks.md), which the prediction log pays for every logged value. NaN and infinities are the caller's.
/// </summary>
/// <remarks>
/// The digits are Raffaello Giulietti's Schubfach (“The Schubfach way to render doubles”, 2020; the algorithm of Java's
/// <c>Float.toString</c> since JDK 19), for float32: one 64×64-bit multiplication per bound against a 63-bit power of
/// ten, which decides between the multiples of 10^(k+1) and of 10^k around the value. Unlike Java, which keeps two digits
/// where one would read back (the smallest subnormals, <c>1.4E-45</c>), the multiples of 10^(k+1) are always tried, so
/// the result is the shortest, as .NET's is (<c>1E-45</c>).
/// </remarks>
public static class ShortestFloat
{
    /// <summary>The longest text: <c>-0.000123456789</c>-like, sign, <c>0.</c>, three zeros and nine digits.</summary>
    public const int MaxLength = 15;

    private const int MinExponent = -149;
    private const int HiddenBit = 1 << 23;
    private const int MinK = -45;

    public static int Format(float value, Span<byte> destination)
    {
        if (destination.Length < MaxLength)
        {
            ThrowTooShort();
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        var fraction = (int)(bits & (HiddenBit - 1));
        var biasedExponent = (int)(bits >> 23) & 0xFF;
        if (biasedExponent == 0xFF)
        {
            ThrowNotFinite(value);
        }

        var start = 0;
        if ((int)bits < 0)
        {
            destination[0] = (byte)'-';
            start = 1;
        }

        uint digits;
        int exponent;
        if (biasedExponent != 0)
        {
            var shift = 150 - biasedExponent;
            var significand = HiddenBit | fraction;
            // An integer below 2^24 is its own shortest form.
            if (shift is > 0 and < 24 && (significand >> shift << shift) == significand)
            {
                digits = (uint)(significand >> shift);
                exponent = 0;
            }
            else
            {
                (digits, exponent) = ToDecimal(-shift, significand);
            }
        }
        else if (fraction != 0)
        {
            (digits, exponent) = ToDecimal(MinExponent, fraction);
        }
        else
        {
            destination[start] = (byte)'0';
            return start + 1;
        }

        return start + Write(digits, exponent, destination[start..]);
    }

    private static void ThrowTooShort() => throw new ArgumentException($"The destination needs {MaxLength} bytes.", "destination");

    private static void ThrowNotFinite(float value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinities have no decimal form.");

    /// <summary>The shortest decimal digits × 10^exponent in the rounding interval of significand × 2^q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Digits, int Exponent) ToDecimal(int q, int significand)
    {
        var odd = significand & 1;
        var cb = (long)significand << 2;
        var cbr = cb + 2;
        long cbl;
        int k;
        if (significand != HiddenBit || q == MinExponent)
        {
            cbl = cb - 2;
            k = FloorLog10Pow2(q);
        }
        else
        {
            // A power of two: the gap below is half the gap above.
            cbl = cb - 1;
            k = FloorLog10ThreeQuartersPow2(q);
        }

        var h = q + FloorLog2Pow10(-k) + 33;
        var g = G[k - MinK] + 1;
        // Four times the value and its interval's bounds in units of 10^k, rounded to odd: exact against multiples of 4.
        var vb = RoundToOdd(g, cb << h);
        var vbl = RoundToOdd(g, cbl << h);
        var vbr = RoundToOdd(g, cbr << h);

        var s = vb >> 2;
        var sp10 = s / 10 * 10;
        var tp10 = sp10 + 10;
        var upin = vbl + odd <= sp10 << 2;
        var wpin = (tp10 << 2) + odd <= vbr;
        if (upin != wpin)
        {
            return ((uint)(upin ? sp10 : tp10), k);
        }

        // Otherwise s or t = s + 1, whichever is in the interval; if both, the closer (ties to even). Branch-free: which
        // one it is is a coin toss for most values.
        var t = s + 1;
        var uin = vbl + odd <= s << 2;
        var win = (t << 2) + odd <= vbr;
        // (At least one is: the interval is at least 10^k wide.)
        var cmp = vb - ((s + t) << 1);
        var closerT = cmp > 0 | (cmp == 0 & (s & 1) != 0);
        return ((uint)s + (!uin | (win & closerT) ? 1u : 0u), k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundToOdd(ulong g, long cp)
    {
        var high = Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(g, (ulong)cp) : Math.BigMul(g, (ulong)cp, out _);
        return (int)((high >> 31) | (((high & 0xFFFF_FFFF) + 0xFFFF_FFFF) >> 32));
    }

    private static int FloorLog10Pow2(int e) => (int)((e * 661_971_961_083L) >> 41);

    private static int FloorLog10ThreeQuartersPow2(int e) => (int)(((e * 661_971_961_083L) - 274_743_187_321L) >> 41);

    private static int FloorLog2Pow10(int e) => (int)((e * 913_124_641_741L) >> 38);

    /// <summary>The digits in .NET's layout: plain for decimal exponents -5 &lt; E &lt; 9, otherwise d.dddE±dd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Write(uint digits, int exponent, Span<byte> destination)
    {
        // The nine digits as a first digit and eight more, the eight in one register (one 8-byte store); left-aligned,
        // every layout below is a prefix of them at some offset, and their zeros at the end are the trailing zeros.
        var top = digits / 100_000_000;
        var low = EightDigits(digits - (top * 100_000_000));
        var leadingZeros = top != 0 ? 0 : (BitOperations.TrailingZeroCount(low) >> 3) + 1;
        var scientific = exponent + 8 - leadingZeros;
        // Fewer than nine digits: the first is in the register, after the leading zeros (only then is the shift valid).
        var aligned = low >> (8 * (leadingZeros - 1));
        var first = top != 0 ? top : (uint)aligned & 0xFF;
        var eight = top != 0 ? low : aligned >> 8;
        var significant = 9 - (BitOperations.LeadingZeroCount(eight) >> 3);
        var text = eight + 0x3030_3030_3030_3030;
        var leading = (byte)('0' + first);
        destination[0] = leading;
        if (scientific is >= 0 and < 9)
        {
            if (significant <= scientific + 1)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], text);
                return scientific + 1;
            }

            // d.ddd: the point put in the register after the integer digits, the rest moved up a byte; the ninth digit
            // that moves out goes after them.
            var integerDigits = (1UL << (8 * scientific)) - 1;
            var withPoint = (text & integerDigits) | ((ulong)'.' << (8 * scientific)) | ((text & ~integerDigits) << 8);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], withPoint);
            destination[9] = (byte)(text >> 56);
            return significant + 1;
        }

        if (scientific is < 0 and > -5)
        {
            var zeros = -scientific - 1;
            BinaryPrimitives.WriteUInt32LittleEndian(destination, 0x3030_2E30); // "0.00"
            destination[4] = (byte)'0';
            destination[2 + zeros] = leading;
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(3 + zeros)..], text);
            return 2 + zeros + significant;
        }

        destination[1] = (byte)'.';
        BinaryPrimitives.WriteUInt64LittleEndian(destination[2..], text);
        var length = significant == 1 ? 1 : significant + 1;
        var magnitude = Math.Abs(scientific);
        var tens = (magnitude * 103) >> 10;
        destination[length] = (byte)'E';
        destination[length + 1] = scientific < 0 ? (byte)'-' : (byte)'+';
        destination[length + 2] = (byte)('0' + tens);
        destination[length + 3] = (byte)('0' + magnitude - (10 * tens));
        return length + 4;
    }

    /// <summary>
    /// A value below 10^8 as eight digit values 0-9, most significant in the lowest byte, in one register: divided by
    /// 10^4, then each half by 100, then each quarter by 10, in parallel lanes (Paul Khuong's SWAR digits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(uint value)
    {
        var high = value / 10_000;
        var merged = high | ((ulong)(value - (high * 10_000)) << 32);
        var hundreds = ((merged * 10_486) >> 20) & 0x0000_007F_0000_007F;
        var pairs = ((merged - (100 * hundreds)) << 16) + hundreds;
        var tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000F;
        return tens + ((pairs - (10 * tens)) << 8);
    }

    /// <summary>
    /// For k from -45 to 31: the upper 63 bits of floor(10^-k × 2^(125 - floor(log2 10^-k))) + 1 (Schubfach's g1; the
    /// tests recompute it).
    /// </summary>
    internal static ReadOnlySpan<ulong> G =>
    [
        0x59AEDFC10D7279C5, 0x47BF19673DF52E37, 0x72CB5BD86321E38C, 0x5BD5E313828182D6, 0x4977E8DC68679BDF,
        0x758CA7C70D7292FE, 0x5E0A1FD271287598, 0x4B3B4CA85A86C47A, 0x785EE10D5DA46D90, 0x604BE73DE4838AD9,
        0x4D0985CB1D3608AE, 0x7B426FAB61F00DE3, 0x629B8C891B267182, 0x4EE2D6D415B85ACE, 0x7E37BE2022C0914B,
        0x64F964E68233A76F, 0x50C783EB9B5C85F2, 0x409F9CBC7C4A04C2, 0x6765C793FA10079D, 0x52B7D2DCC80CD2E4,
        0x422CA8B0A00A4250, 0x69E10DE76676D080, 0x54B40B1F852BDA00, 0x43C33C1937564800, 0x6C6B935B8BBD4000,
        0x56BC75E2D6310000, 0x4563918244F40000, 0x6F05B59D3B200000, 0x58D15E1762800000, 0x470DE4DF82000000,
        0x71AFD498D0000000, 0x5AF3107A40000000, 0x48C2739500000000, 0x746A528800000000, 0x5D21DBA000000000,
        0x4A817C8000000000, 0x7735940000000000, 0x5F5E100000000000, 0x4C4B400000000000, 0x7A12000000000000,
        0x61A8000000000000, 0x4E20000000000000, 0x7D00000000000000, 0x6400000000000000, 0x5000000000000000,
        0x4000000000000000, 0x6666666666666666, 0x51EB851EB851EB85, 0x4189374BC6A7EF9D, 0x68DB8BAC710CB295,
        0x53E2D6238DA3C211, 0x431BDE82D7B634DA, 0x6B5FCA6AF2BD215E, 0x55E63B88C230E77E, 0x44B82FA09B5A52CB,
        0x6DF37F675EF6EADF, 0x57F5FF85E592557F, 0x465E6604B7A84465, 0x709709A125DA0709, 0x5A126E1A84AE6C07,
        0x480EBE7B9D58566C, 0x734ACA5F6226F0AD, 0x5C3BD5191B525A24, 0x49C97747490EAE83, 0x760F253EDB4AB0D2,
        0x5E72843249088D75, 0x4B8ED0283A6D3DF7, 0x78E480405D7B9658, 0x60B6CD004AC94513, 0x4D5F0A66A23A9DA9,
        0x7BCB43D769F762A8, 0x63090312BB2C4EED, 0x4F3A68DBC8F03F24, 0x7EC3DAF941806506, 0x65697BFA9ACD1D9F,
        0x51212FFBAF0A7E18, 0x40E7599625A1FE7A,
    ];
}
