using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Batch.Bench;

/// <summary>
/// The baseline: one process reads the same CSV, parses each row's features, runs the same model on chunks of the same
/// size through Orbit.Onnx (one thread, as a worker's session has), and writes row, id and outputs to a CSV.
/// </summary>
internal static class InProcessLoop
{
    public static (long Rows, TimeSpan Elapsed) Run(string model, string csv, int chunkSize, string output)
    {
        var clock = Stopwatch.StartNew();
        using var session = OnnxSession.FromFile(model, new SessionOptions { IntraOpThreads = 1 });
        using var reader = new StreamReader(csv, Encoding.UTF8, true, 1 << 16);
        using var writer = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 16);
        var header = reader.ReadLine()!.Split(',');
        var wroteHeader = false;
        var features = new float[chunkSize * BatchInput.Features];
        var ids = new string[chunkSize];
        long row = 0, first = 0;
        var count = 0;
        string? line;
        var text = new StringBuilder();
        while ((line = reader.ReadLine()) is not null)
        {
            var fields = line.Split(',');
            ids[count] = fields[0];
            for (var i = 0; i < BatchInput.Features; i++)
            {
                features[count * BatchInput.Features + i] = float.Parse(fields[i + 1], CultureInfo.InvariantCulture);
            }

            count++;
            row++;
            if (count == chunkSize)
            {
                Flush(session, features, ids, count, first, writer, text, ref wroteHeader);
                first = row;
                count = 0;
            }
        }

        if (count > 0)
        {
            Flush(session, features, ids, count, first, writer, text, ref wroteHeader);
        }

        _ = header;
        return (row, clock.Elapsed);
    }

    private static void Flush(OnnxSession session, float[] features, string[] ids, int count, long first, StreamWriter writer, StringBuilder text, ref bool wroteHeader)
    {
        using var input = OnnxTensor.FromArray(features.AsSpan(0, count * BatchInput.Features).ToArray(), count, BatchInput.Features);
        using var result = session.Run(input);
        var y = result[0].AsSpan<float>();
        var width = y.Length / count;
        if (!wroteHeader)
        {
            writer.WriteLine("row,id," + (width == 1 ? "y" : string.Join(',', Enumerable.Range(0, width).Select(j => $"y_{j}"))));
            wroteHeader = true;
        }

        for (var r = 0; r < count; r++)
        {
            text.Clear().Append((first + r).ToString(CultureInfo.InvariantCulture)).Append(',').Append(ids[r]);
            for (var j = 0; j < width; j++)
            {
                text.Append(',').Append(y[r * width + j].ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteLine(text);
        }
    }
}
