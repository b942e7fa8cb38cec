using System.Globalization;
using System.Text;

namespace Orbit.Cli.Demo;

/// <summary>
/// The demo's world (and the closed-loop test's), generated deterministically: three features and a known decision rule. Distribution A (x ~ N(0, 1), label
/// x0 + x1 &gt; 0) is what version 1 learns; in B, x0 has moved to N(1.5, 1) and the rule has changed
/// (x0 − x1 &gt; 1.5), so version 1 is both drifted and wrong. x2 is noise in both.
/// </summary>
internal static class DemoWorld
{
    public const int Features = 3;

    public static float[] Row(Random random, bool shifted) =>
        [(float)(Normal(random) + (shifted ? 1.5 : 0)), (float)Normal(random), (float)Normal(random)];

    public static string Label(float[] row, bool shifted) =>
        (shifted ? row[0] - row[1] > 1.5 : row[0] + row[1] > 0) ? "1" : "0";

    /// <summary>A CSV of distribution A with a <c>label</c> column, as the retrainer's dataset.</summary>
    public static string DatasetA(int rows, int seed) => Csv(rows, seed, "label", (i, row) => Label(row, shifted: false));

    /// <summary>A CSV of distribution A with an <c>id</c> column, as a batch job's input.</summary>
    public static string BatchInput(int rows, int seed) => Csv(rows, seed, "id", (i, _) => "row-" + i.ToString(CultureInfo.InvariantCulture));

    private static string Csv(int rows, int seed, string extra, Func<int, float[], string> extraValue)
    {
        var random = new Random(seed);
        var csv = new StringBuilder($"x0,x1,x2,{extra}\n");
        for (var i = 0; i < rows; i++)
        {
            var row = Row(random, shifted: false);
            csv.Append(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append(',').Append(extraValue(i, row)).Append('\n');
        }

        return csv.ToString();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
