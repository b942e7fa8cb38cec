using System.Globalization;
using System.Text;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>
/// The one encoding of a training table: UTF-8, <c>\n</c> line ends, a header of the feature names then
/// <c>label</c>, then one line per row with every number in its shortest round-trip form (invariant culture,
/// <c>NaN</c> for a missing value). The snapshot hash is the SHA-256 of exactly these bytes, and external trainers
/// read the same file as <c>train.csv</c>.
/// </summary>
internal static class CanonicalCsv
{
    public const string LabelColumn = "label";

    public static async Task WriteAsync(TrainingTable table, Stream stream, CancellationToken cancellationToken)
    {
        var bytes = Encode(table);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    public static byte[] Encode(TrainingTable table)
    {
        foreach (var name in table.FeatureNames)
        {
            if (name.Length == 0 || name.IndexOfAny([',', '"', '\n', '\r']) >= 0 || name == LabelColumn)
            {
                throw new ArgumentException($"Feature name '{name}' cannot be a CSV column (empty, '{LabelColumn}', or holding a comma, quote or line break).");
            }
        }

        var text = new StringBuilder();
        text.Append(string.Join(',', table.FeatureNames)).Append(',').Append(LabelColumn).Append('\n');
        for (var r = 0; r < table.Rows; r++)
        {
            foreach (var value in table.Features[r])
            {
                text.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(table.Labels[r].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
