using System.Buffers.Binary;
using System.Text;
using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class RawElementsTests
{
    public static TheoryData<string, byte[]> EdgeValues()
    {
        var data = new TheoryData<string, byte[]>();
        void Add(string datatype, int size, IEnumerable<Action<Span<byte>>> writes)
        {
            var list = writes.ToList();
            var bytes = new byte[list.Count * size];
            for (var i = 0; i < list.Count; i++)
            {
                list[i](bytes.AsSpan(i * size, size));
            }

            data.Add(datatype, bytes);
        }

        float[] floats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 0.1f, 1e-7f, 1f / 3, 16777217f, 123456789f, 1e20f, -2.5e-30f, 1.17549435E-38f];
        double[] doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0d, 0d, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 0.1, 1e-7, 1d / 3, 1e15, 1e16, 123456789012345678, -2.5e-300, 2.2250738585072014E-308];
        Add("FP32", 4, floats.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteSingleLittleEndian(s, v))));
        Add("FP64", 8, doubles.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteDoubleLittleEndian(s, v))));
        Add("INT64", 8, new[] { long.MinValue, long.MaxValue, 0, -1, 9007199254740993 }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteInt64LittleEndian(s, v))));
        Add("INT32", 4, new[] { int.MinValue, int.MaxValue, 0, -7 }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteInt32LittleEndian(s, v))));
        Add("INT16", 2, new short[] { short.MinValue, short.MaxValue, 0, -7 }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteInt16LittleEndian(s, v))));
        Add("INT8", 1, new sbyte[] { sbyte.MinValue, sbyte.MaxValue, 0, -1 }.Select(v => (Action<Span<byte>>)(s => s[0] = unchecked((byte)v))));
        Add("UINT8", 1, new byte[] { 0, 1, 255 }.Select(v => (Action<Span<byte>>)(s => s[0] = v)));
        Add("UINT16", 2, new ushort[] { 0, ushort.MaxValue }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteUInt16LittleEndian(s, v))));
        Add("UINT32", 4, new[] { 0u, uint.MaxValue }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteUInt32LittleEndian(s, v))));
        Add("UINT64", 8, new[] { 0ul, ulong.MaxValue }.Select(v => (Action<Span<byte>>)(s => BinaryPrimitives.WriteUInt64LittleEndian(s, v))));
        Add("BOOL", 1, new byte[] { 0, 1, 2, 255 }.Select(v => (Action<Span<byte>>)(s => s[0] = v)));
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void Every_datatype_is_written_as_the_same_text_as_the_codec_formats(string datatype, byte[] bytes)
    {
        AssertSameTextAsCodec(datatype, bytes);
    }

    [Fact]
    public void Random_floats_and_doubles_of_every_magnitude_are_written_as_the_same_text_as_the_codec_formats()
    {
        var random = new Random(11);
        var singles = new byte[4 * 100_000];
        var doubles = new byte[8 * 100_000];
        for (var i = 0; i < 100_000; i++)
        {
            // Any bit pattern: every exponent, subnormals, NaN payloads.
            BinaryPrimitives.WriteInt32LittleEndian(singles.AsSpan(4 * i), random.Next(int.MinValue, int.MaxValue));
            BinaryPrimitives.WriteInt64LittleEndian(doubles.AsSpan(8 * i), random.NextInt64(long.MinValue, long.MaxValue));
        }

        AssertSameTextAsCodec("FP32", singles);
        AssertSameTextAsCodec("FP64", doubles);
    }

    [Theory]
    [InlineData("BYTES")]
    [InlineData("FP16")]
    [InlineData("fp32")]
    public void A_datatype_without_a_numeric_form_has_no_raw_elements(string datatype) => Assert.Null(RawElements.For(datatype, new byte[8]));

    [Fact]
    public void Only_nan_and_the_infinities_are_not_finite()
    {
        float[] values = [1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -0f];
        var elements = RawElements.For("FP32", System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray())!;

        Assert.Equal([true, false, false, false, true, true], Enumerable.Range(0, values.Length).Select(elements.IsFinite));
        Assert.True(RawElements.For("INT64", BitConverter.GetBytes(long.MinValue))!.IsFinite(0));
    }

    private static void AssertSameTextAsCodec(string datatype, byte[] bytes)
    {
        var elements = RawElements.For(datatype, bytes)!;
        var size = ElementCodec.Size(datatype);
        Assert.Equal(bytes.Length / size, elements.Count);
        var destination = new byte[RawElements.MaxLength];
        for (var i = 0; i < elements.Count; i++)
        {
            var expected = ElementCodec.Format(datatype, bytes.AsSpan(i * size, size));
            var written = elements.Format(i, destination);

            Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
            Assert.Equal(expected, elements.Format(i));
            Assert.Equal(expected, CsvLine.Quote(expected)); // written into a CSV line without quotes
        }
    }
}
