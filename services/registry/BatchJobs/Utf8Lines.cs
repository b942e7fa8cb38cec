namespace Orbit.Registry.BatchJobs;

/// <summary>
/// The lines of a UTF-8 text as bytes, never decoded: staging parses numbers straight from them, and only the values
/// kept for the output become strings. A line ends at <c>\n</c> (a <c>\r</c> before it is dropped); a UTF-8 byte order
/// mark is skipped, and a UTF-16 or UTF-32 one is refused, since a CSV input is UTF-8.
/// </summary>
internal sealed class Utf8Lines(Stream stream, int bufferSize = 1 << 16) : IDisposable
{
    private byte[] _buffer = new byte[Math.Max(4, bufferSize)];
    private int _start;
    private int _end;
    private bool _ended;
    private bool _started;

    /// <summary>The next line, without its line ending; false after the last one.</summary>
    public bool TryRead(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[searched..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = WithoutReturn(pending[..(searched + newline)]);
                _start += searched + newline + 1;
                return true;
            }

            if (_ended)
            {
                line = WithoutReturn(pending);
                _start = _end;
                return !pending.IsEmpty;
            }

            searched = pending.Length;
            Fill();
        }
    }

    private static ReadOnlySpan<byte> WithoutReturn(ReadOnlySpan<byte> line) => line is [.., (byte)'\r'] ? line[..^1] : line;

    /// <summary>Moves the line read so far to the front (growing the buffer for a line longer than it) and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }

        int read;
        do
        {
            read = stream.Read(_buffer, _end, _buffer.Length - _end);
            _end += read;
        }
        while (!_started && read > 0 && _end < 4);

        _ended = read == 0;
        if (!_started)
        {
            _started = true;
            SkipByteOrderMark();
        }
    }

    private void SkipByteOrderMark()
    {
        var head = _buffer.AsSpan(0, _end);
        if (head.StartsWith("\uFEFF"u8))
        {
            _start = 3;
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new InvalidDataException("the file starts with a UTF-16 or UTF-32 byte order mark: a CSV input is UTF-8");
        }
    }

    public void Dispose() => stream.Dispose();
}
