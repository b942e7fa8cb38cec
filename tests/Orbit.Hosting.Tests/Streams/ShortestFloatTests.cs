using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Orbit.Hosting.Streams;

namespace Orbit.Hosting.Tests.Streams;

/// <summary>
/// The prediction log's float32 formatting against .NET's own: the same text (so the same shortest digits), and the text
/// reads back as the same float32, over a few million values from every part of the range.
/// </summary>
public sealed class ShortestFloatTests
{
    [Fact]
    public void Random_bit_patterns_read_back_exactly_in_the_same_shortest_text_as_dotnet()
    {
        var random = new Random(11);
        AssertAllMatch(Enumerable.Range(0, 2_000_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)));
    }

    [Fact]
    public void Edge_ranges_read_back_exactly_in_the_same_shortest_text_as_dotnet()
    {
        AssertAllMatch(EdgeBits());
    }

    [Fact]
    public void Short_decimals_come_back_as_they_were_written()
    {
        var random = new Random(12);
        var texts = new List<string> { "0.1", "0.2", "0.3", "123.45", "-2.75", "1E-07", "3.4028235E+38", "1E-45", "1.1754944E-38" };
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 10_000).ToString(CultureInfo.InvariantCulture).TrimEnd('0');
            var exponent = random.Next(-44, 38);
            texts.Add(FormattableString.Invariant($"{digits[0]}{(digits.Length > 1 ? "." + digits[1..] : "")}E{exponent}"));
        }

        var failures = new List<string>();
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];
        foreach (var written in texts)
        {
            var value = float.Parse(written, CultureInfo.InvariantCulture);
            var formatted = Encoding.ASCII.GetString(text[..ShortestFloat.Format(value, text)]);
            // The written text reads back as the value, so the value's shortest form has at most its digits.
            if (float.Parse(formatted, CultureInfo.InvariantCulture) != value || Digits(formatted) != Digits(value.ToString("R", CultureInfo.InvariantCulture)) || Digits(formatted) > Digits(written))
            {
                failures.Add($"{written}: {formatted}");
            }
        }

        Assert.Empty(failures.Take(20));
    }

    [Fact]
    public void Every_output_is_one_json_number()
    {
        var random = new Random(13);
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];
        foreach (var bits in EdgeBits().Take(100_000).Concat(Enumerable.Range(0, 100_000).Select(_ => (uint)random.NextInt64(0, 1L << 32))))
        {
            var value = BitConverter.UInt32BitsToSingle(bits);
            if (!float.IsFinite(value))
            {
                continue;
            }

            var reader = new Utf8JsonReader(text[..ShortestFloat.Format(value, text)]);
            Assert.True(reader.Read());
            Assert.Equal(JsonTokenType.Number, reader.TokenType);
            Assert.Equal(value, reader.GetSingle());
            Assert.False(reader.Read());
        }
    }

    [Fact]
    public void Negative_zero_is_written_as_minus_zero_and_reads_back_negative()
    {
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];

        var written = Encoding.ASCII.GetString(text[..ShortestFloat.Format(-0f, text)]);

        Assert.Equal("-0", written);
        Assert.True(float.IsNegative(float.Parse(written, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Nan_and_infinities_are_refused()
    {
        var text = new byte[ShortestFloat.MaxLength];

        Assert.Throws<ArgumentOutOfRangeException>(() => ShortestFloat.Format(float.NaN, text));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortestFloat.Format(float.NegativeInfinity, text));
    }

    [Fact]
    public void The_powers_of_ten_table_is_schubfachs_g1()
    {
        for (var k = -45; k <= 31; k++)
        {
            // 10^-k = beta 2^r with 2^125 <= beta < 2^126; g = floor(beta) + 1; g1 its upper 63 bits.
            var r = (int)Math.Floor(-k * Math.Log2(10)) - 125;
            var beta = k <= 0
                ? (r <= 0 ? BigInteger.Pow(10, -k) << -r : BigInteger.Pow(10, -k) >> r)
                : (BigInteger.One << -r) / BigInteger.Pow(10, k);
            Assert.InRange(beta, BigInteger.One << 125, (BigInteger.One << 126) - 1);
            Assert.Equal((ulong)((beta + 1) >> 63), ShortestFloat.G[k + 45]);
        }
    }

    /// <summary>Subnormals, normal bounds, powers of two and ten with their neighbours, integers below and above 2^24.</summary>
    private static IEnumerable<uint> EdgeBits()
    {
        for (uint bits = 0; bits < 300_000; bits++)
        {
            yield return bits;
        }

        for (uint bits = 0x007F_0000; bits < 0x0081_0000; bits++)
        {
            yield return bits;
        }

        for (uint bits = 0x7F7F_FFFF - 100_000; bits <= 0x7F7F_FFFF; bits++)
        {
            yield return bits;
        }

        for (var exponent = 0u; exponent < 255; exponent++)
        {
            for (var fraction = 0u; fraction < 64; fraction++)
            {
                yield return (exponent << 23) | fraction;
                yield return (exponent << 23) | (0x7F_FFFF - fraction);
            }
        }

        for (var power = -45; power <= 38; power++)
        {
            var bits = BitConverter.SingleToUInt32Bits(float.Parse($"1E{power}", CultureInfo.InvariantCulture));
            for (var neighbour = Math.Max(bits, 32) - 32; neighbour <= bits + 32; neighbour++)
            {
                yield return neighbour;
            }
        }

        for (var integer = 0; integer <= 1 << 20; integer++)
        {
            yield return BitConverter.SingleToUInt32Bits(integer);
        }

        for (var integer = (1 << 24) - 100_000; integer <= (1 << 24) + 100_000; integer++)
        {
            yield return BitConverter.SingleToUInt32Bits(integer);
        }

        for (var integer = 1L << 24; integer < 1L << 40; integer = (integer * 3 / 2) + 1)
        {
            yield return BitConverter.SingleToUInt32Bits(integer);
        }
    }

    /// <summary>Each finite value, and its negative: ShortestFloat's text is .NET's "R" text and parses back to the same bits.</summary>
    private static void AssertAllMatch(IEnumerable<uint> patterns)
    {
        Span<byte> mine = stackalloc byte[ShortestFloat.MaxLength];
        Span<byte> dotnet = stackalloc byte[32];
        var failures = new List<string>();
        var count = 0;
        foreach (var pattern in patterns)
        {
            foreach (var bits in (ReadOnlySpan<uint>)[pattern & 0x7FFF_FFFF, pattern | 0x8000_0000])
            {
                var value = BitConverter.UInt32BitsToSingle(bits);
                if (!float.IsFinite(value))
                {
                    continue;
                }

                count++;
                var text = mine[..ShortestFloat.Format(value, mine)];
                Assert.True(value.TryFormat(dotnet, out var written, "R", CultureInfo.InvariantCulture));
                var back = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!text.SequenceEqual(dotnet[..written]) || BitConverter.SingleToUInt32Bits(back) != bits)
                {
                    failures.Add($"{bits:X8}: {Encoding.ASCII.GetString(text)}, .NET {Encoding.ASCII.GetString(dotnet[..written])}");
                }
            }
        }

        Assert.True(count > 1_000_000, $"only {count} values checked");
        Assert.Empty(failures.Take(20));
    }

    private static int Digits(string number)
    {
        var significand = number.TrimStart('-').Split('E', 'e')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        return Math.Max(1, significand.TrimEnd('0').Length);
    }
}
