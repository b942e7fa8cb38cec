using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orbit.Hosting.Streams;

namespace Orbit.Statistics.Bench;

/// <summary>
/// The prediction log's float32 formatting, per value, in one run: .NET's (<c>float.TryFormat</c> to UTF-8, and what
/// <c>Utf8JsonWriter.WriteNumberValue(float)</c> costs) against <see cref="ShortestFloat"/> (alone, and through
/// <c>WriteRawValue</c> as <c>LoggedRowJson</c> writes it). The values are float32s of standard normal doubles, drawn
/// like the statistics bench's features, written in arrays of 34 (a logged request's row for the bench MLP).
/// </summary>
internal static class FloatFormatting
{
    private const int RowWidth = 34;

    public static void Run(int rounds)
    {
        var random = new Random(1);
        var values = new float[1 << 20];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var output = new ArrayBufferWriter<byte>(values.Length * 16);
        var modes = new (string Name, Func<float[], ArrayBufferWriter<byte>, long> Write)[]
        {
            ("`float.TryFormat` to UTF-8 (.NET)", TryFormat),
            ("`ShortestFloat.Format`", Shortest),
            ("`Utf8JsonWriter.WriteNumberValue(float)` (.NET, before)", WriteNumberValue),
            ("`ShortestFloat` + `Utf8JsonWriter.WriteRawValue` per value", WriteRawValue),
            ("`ShortestFloat`, each array of 34 one `WriteRawValue` (now, as `LoggedRowJson`)", WriteRawRows),
        };

        var before = Written(WriteNumberValue, values, output);
        var same = before.SequenceEqual(Written(WriteRawValue, values, output)) && before.SequenceEqual(Written(WriteRawRows, values, output));
        var times = modes.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round <= rounds; round++)
        {
            for (var m = 0; m < modes.Length; m++)
            {
                output.ResetWrittenCount();
                var start = Stopwatch.GetTimestamp();
                modes[m].Write(values, output);
                // Round 0 warms up (tiered JIT).
                if (round > 0)
                {
                    times[m].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / values.Length);
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant($"float32 formatting, {values.Length:N0} values (float32 of standard normal doubles), median of {rounds} rounds, ns per value:"));
        Console.WriteLine();
        Console.WriteLine("| formatting | ns per value | .NET's / this |");
        Console.WriteLine("|---|---:|---:|");
        var medians = times.Select(Median).ToArray();
        for (var m = 0; m < modes.Length; m++)
        {
            var baseline = medians[m < 2 ? 0 : 2];
            Console.WriteLine(FormattableString.Invariant($"| {modes[m].Name} | {medians[m]:F1} | {baseline / medians[m]:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"the three writers' JSON is byte for byte the same: {(same ? "yes" : "NO")}");
    }

    /// <summary>Every finite float32, both signs: ShortestFloat's text against .NET's.</summary>
    public static int Exhaustive(int threads)
    {
        const uint Positive = 0x7F80_0000;
        long mismatches = 0;
        var start = Stopwatch.GetTimestamp();
        var slice = (Positive + (uint)threads - 1) / (uint)threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            Span<byte> mine = stackalloc byte[ShortestFloat.MaxLength];
            Span<byte> dotnet = stackalloc byte[32];
            var end = Math.Min(Positive, (uint)(t + 1) * slice);
            for (var bits = (uint)t * slice; bits < end; bits++)
            {
                if ((bits & 0x0FFF_FFFF) == 0)
                {
                    Console.Error.WriteLine(FormattableString.Invariant($"thread {t}: at {bits:X8}, {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s"));
                }

                foreach (var signed in (ReadOnlySpan<uint>)[bits, bits | 0x8000_0000])
                {
                    var value = BitConverter.UInt32BitsToSingle(signed);
                    var length = ShortestFloat.Format(value, mine);
                    value.TryFormat(dotnet, out var written, default, CultureInfo.InvariantCulture);
                    if (!mine[..length].SequenceEqual(dotnet[..written]) && Interlocked.Increment(ref mismatches) <= 20)
                    {
                        Console.WriteLine(FormattableString.Invariant($"{signed:X8}: {System.Text.Encoding.ASCII.GetString(mine[..length])}, .NET {System.Text.Encoding.ASCII.GetString(dotnet[..written])}"));
                    }
                }
            }
        });
        Console.WriteLine(FormattableString.Invariant(
            $"every finite float32 ({2L * Positive:N0} values, both signs) against .NET's text: {mismatches} different, {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s on {threads} threads"));
        return mismatches == 0 ? 0 : 1;
    }

    private static long TryFormat(float[] values, ArrayBufferWriter<byte> output)
    {
        var total = 0L;
        var text = output.GetSpan(32);
        foreach (var value in values)
        {
            value.TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
            total += written;
        }

        return total;
    }

    private static long Shortest(float[] values, ArrayBufferWriter<byte> output)
    {
        var total = 0L;
        var text = output.GetSpan(32);
        foreach (var value in values)
        {
            total += ShortestFloat.Format(value, text);
        }

        return total;
    }

    private static long WriteNumberValue(float[] values, ArrayBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (i % RowWidth == 0)
            {
                if (i > 0)
                {
                    writer.WriteEndArray();
                }

                writer.WriteStartArray();
            }

            writer.WriteNumberValue(values[i]);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.Flush();
        return writer.BytesCommitted;
    }

    private static long WriteRawValue(float[] values, ArrayBufferWriter<byte> output)
    {
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (i % RowWidth == 0)
            {
                if (i > 0)
                {
                    writer.WriteEndArray();
                }

                writer.WriteStartArray();
            }

            writer.WriteRawValue(text[..ShortestFloat.Format(values[i], text)], skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.Flush();
        return writer.BytesCommitted;
    }

    private static long WriteRawRows(float[] values, ArrayBufferWriter<byte> output)
    {
        Span<byte> text = stackalloc byte[2 + (RowWidth * (ShortestFloat.MaxLength + 1))];
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        for (var row = 0; row < values.Length; row += RowWidth)
        {
            var at = 0;
            text[at++] = (byte)'[';
            for (var i = row; i < Math.Min(values.Length, row + RowWidth); i++)
            {
                if (i > row)
                {
                    text[at++] = (byte)',';
                }

                at += ShortestFloat.Format(values[i], text[at..]);
            }

            text[at++] = (byte)']';
            writer.WriteRawValue(text[..at], skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.Flush();
        return writer.BytesCommitted;
    }

    private static byte[] Written(Func<float[], ArrayBufferWriter<byte>, long> write, float[] values, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        write(values, output);
        return output.WrittenSpan.ToArray();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
