using System.Globalization;
using System.Text;
using Orbit.Inference.Bench;

namespace Orbit.Batch.Bench;

/// <summary>
/// The benchmark's input: the model (the bench MLP x[batch,32] → y[batch,2], or with <c>ORBIT_BENCH_MODEL=tree</c> the
/// tree ensemble of <see cref="TreeModel"/>), its metadata naming features x0…x31, and a CSV of rows.
/// </summary>
internal static class BatchInput
{
    public const int Features = 32;

    /// <summary><c>mlp</c> or <c>tree</c>, from <c>ORBIT_BENCH_MODEL</c> (bench/run-batch.sh --model).</summary>
    public static string Kind { get; } = Environment.GetEnvironmentVariable("ORBIT_BENCH_MODEL") is { Length: > 0 } kind ? kind : "mlp";

    /// <summary>The model's name on the platform.</summary>
    public static string Name => "bench-" + Kind;

    public static string Model(string directory) => Path.Combine(directory, Name + ".onnx");

    public static string Metadata(string directory) => Path.Combine(directory, Name + ".metadata.json");

    public static string Csv(string directory, long rows) => Path.Combine(directory, $"rows-{rows}.csv");

    public static void Prepare(string directory, long rows)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Model(directory), Kind switch
        {
            "mlp" => BenchModels.Mlp(),
            "tree" => TreeModel.Write(),
            _ => throw new ArgumentException($"ORBIT_BENCH_MODEL must be mlp or tree, not '{Kind}'"),
        });
        File.WriteAllText(Metadata(directory),
            "{\"features\": [" + string.Join(", ", Enumerable.Range(0, Features).Select(i => $"{{\"name\": \"x{i}\", \"type\": \"numeric\"}}")) + "]}");
        var path = Csv(directory, rows);
        if (File.Exists(path))
        {
            return;
        }

        var random = new Random(11);
        using var writer = new StreamWriter(path + ".tmp", false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine("id," + string.Join(',', Enumerable.Range(0, Features).Select(i => $"x{i}")));
        var line = new StringBuilder();
        for (long r = 0; r < rows; r++)
        {
            line.Clear().Append('r').Append(r.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < Features; i++)
            {
                line.Append(',').Append((random.NextDouble() * 4 - 2).ToString("0.###", CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }

        writer.Close();
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
