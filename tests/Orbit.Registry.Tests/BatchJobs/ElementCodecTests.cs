using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class ElementCodecTests
{
    [Theory]
    [InlineData("1.234")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData(".5")]
    [InlineData("7.")]
    [InlineData("+3.25")]
    [InlineData(" 2.5 ")]
    [InlineData("16777217")]
    [InlineData("0.1234567")]
    [InlineData("12345678")]
    [InlineData("1e-3")]
    [InlineData("3.4028236e38")]
    [InlineData("0.00000000001")]
    public void A_cell_becomes_the_same_float_and_double_as_the_runtime_parses(string text)
    {
        AssertSameAsRuntime(text);
    }

    [Fact]
    public void Random_decimals_of_every_length_and_scale_become_the_same_floats_and_doubles_as_the_runtime_parses()
    {
        var random = new Random(5);
        for (var n = 0; n < 200_000; n++)
        {
            var digits = random.Next(1, 18);
            var text = string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10))));
            var point = random.Next(-1, digits + 1);
            if (point >= 0)
            {
                text = text[..point] + "." + text[point..];
            }

            AssertSameAsRuntime(random.Next(2) == 0 ? "-" + text : text);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("abc")]
    [InlineData("1.5abc")]
    [InlineData("12 3")]
    public void A_cell_that_is_not_a_number_is_refused(string text)
    {
        Assert.False(ElementCodec.TryWrite("FP32", text, new byte[4]));
        Assert.False(ElementCodec.TryWrite("FP64", text, new byte[8]));
        Assert.False(ElementCodec.TryWrite("FP32", Encoding.UTF8.GetBytes(text), new byte[4]));
        Assert.False(ElementCodec.TryWrite("INT64", Encoding.UTF8.GetBytes(text), new byte[8]));
    }

    [Theory]
    [InlineData("INT64", "-9223372036854775808")]
    [InlineData("INT64", " 42 ")]
    [InlineData("INT32", "-7")]
    [InlineData("UINT8", "255")]
    [InlineData("BOOL", "TRUE")]
    [InlineData("FP32", "\u00a02.5\u2009")]
    [InlineData("FP64", "NaN")]
    [InlineData("FP32", "-Infinity")]
    public void A_utf8_cell_is_read_exactly_as_the_same_text(string datatype, string text)
    {
        var fromText = new byte[8];
        var fromBytes = new byte[8];
        Assert.True(ElementCodec.TryWrite(datatype, text, fromText), text);
        Assert.True(ElementCodec.TryWrite(datatype, Encoding.UTF8.GetBytes(text), fromBytes), text);
        Assert.Equal(fromText, fromBytes);
    }

    private static void AssertSameAsRuntime(string text)
    {
        var single = new byte[4];
        var @double = new byte[8];
        Assert.True(ElementCodec.TryWrite("FP32", text, single), text);
        Assert.True(ElementCodec.TryWrite("FP64", text, @double), text);
        Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), BinaryPrimitives.ReadInt32LittleEndian(single));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), BinaryPrimitives.ReadInt64LittleEndian(@double));
        var utf8 = Encoding.UTF8.GetBytes(text);
        var singleFromBytes = new byte[4];
        var doubleFromBytes = new byte[8];
        Assert.True(ElementCodec.TryWrite("FP32", utf8, singleFromBytes), text);
        Assert.True(ElementCodec.TryWrite("FP64", utf8, doubleFromBytes), text);
        Assert.Equal(single, singleFromBytes);
        Assert.Equal(@double, doubleFromBytes);
    }
}
