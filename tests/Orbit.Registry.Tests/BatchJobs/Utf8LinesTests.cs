using System.Text;
using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class Utf8LinesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(1 << 16)]
    public void Lines_end_at_newlines_without_their_carriage_returns_whatever_the_buffer_size(int bufferSize)
    {
        var lines = Read("\uFEFFid,x\r\nré,1.5\n\n" + new string('7', 100) + "\r\nlast", bufferSize);

        Assert.Equal(["id,x", "ré,1.5", "", new string('7', 100), "last"], lines);
    }

    [Fact]
    public void A_final_newline_ends_the_last_line_and_adds_none()
    {
        Assert.Equal(["a", "b"], Read("a\nb\n", 4));
        Assert.Empty(Read("", 4));
        Assert.Equal([""], Read("\n", 4));
    }

    [Fact]
    public void Only_a_byte_order_mark_at_the_start_is_skipped()
    {
        Assert.Equal(["a\uFEFF"], Read("\uFEFFa\uFEFF", 2));
        Assert.Empty(Read("\uFEFF", 2));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void A_utf16_or_utf32_file_is_refused_saying_so(string encoding)
    {
        var bytes = Encoding.GetEncoding(encoding).GetPreamble().Concat(Encoding.GetEncoding(encoding).GetBytes("id,x\n")).ToArray();
        using var lines = new Utf8Lines(new MemoryStream(bytes));

        var refused = Assert.Throws<InvalidDataException>(() => lines.TryRead(out _));
        Assert.Contains("a CSV input is UTF-8", refused.Message);
    }

    private static List<string> Read(string text, int bufferSize)
    {
        using var lines = new Utf8Lines(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);
        var read = new List<string>();
        while (lines.TryRead(out var line))
        {
            read.Add(Encoding.UTF8.GetString(line));
        }

        return read;
    }
}
