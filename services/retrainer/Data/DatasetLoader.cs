using System.Globalization;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>
/// Reads a registered dataset: a CSV file (header row, comma-separated numbers) under the configured root, never
/// outside it (a path that leaves the root, directly or through a link, is refused). Its columns are picked by the
/// model's feature names, in their order, and its label column read as the outcomes are.
/// </summary>
internal static class DatasetLoader
{
    /// <exception cref="DatasetException">The path is not allowed, or the file does not fit.</exception>
    public static (float[][] Features, double[] Labels) Load(
        string? root, string relativePath, IReadOnlyList<string> featureNames, string labelColumn, LearningTask task, string positiveLabel)
    {
        var path = Confine(root, relativePath);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(c => c.Trim()).ToArray()
            ?? throw new DatasetException($"Dataset '{relativePath}' is empty.");
        var columns = featureNames.Select(name => Array.IndexOf(header, name)).ToArray();
        var missing = featureNames.Where((_, i) => columns[i] < 0).ToList();
        var labelIndex = Array.IndexOf(header, labelColumn);
        if (missing.Count > 0 || labelIndex < 0)
        {
            throw new DatasetException(
                $"Dataset '{relativePath}' lacks the column(s) {string.Join(", ", missing.Append(labelIndex < 0 ? labelColumn : null).OfType<string>())}.");
        }

        var features = new List<float[]>();
        var labels = new List<double>();
        var line = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length != header.Length)
            {
                throw new DatasetException($"Dataset '{relativePath}' line {line} has {cells.Length} cells; the header has {header.Length}.");
            }

            var row = new float[columns.Length];
            for (var k = 0; k < columns.Length; k++)
            {
                row[k] = float.TryParse(cells[columns[k]], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new DatasetException($"Dataset '{relativePath}' line {line}, column {featureNames[k]}: '{cells[columns[k]]}' is not a number.");
            }

            var label = cells[labelIndex].Trim();
            labels.Add(task == LearningTask.BinaryClassification
                ? OutcomeLabels.IsPositive(label, positiveLabel) ? 1 : 0
                : double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw new DatasetException($"Dataset '{relativePath}' line {line}: label '{label}' is not a number."));
            features.Add(row);
        }

        return ([.. features], [.. labels]);
    }

    /// <summary>The dataset's feature columns: every header column but the label, in file order.</summary>
    public static IReadOnlyList<string> FeatureColumns(string? root, string relativePath, string labelColumn)
    {
        using var reader = new StreamReader(Confine(root, relativePath));
        var header = reader.ReadLine()?.Split(',').Select(c => c.Trim()).ToArray()
            ?? throw new DatasetException($"Dataset '{relativePath}' is empty.");
        return Array.IndexOf(header, labelColumn) < 0
            ? throw new DatasetException($"Dataset '{relativePath}' lacks the column(s) {labelColumn}.")
            : [.. header.Where(c => c != labelColumn)];
    }

    public static string Confine(string? root, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new DatasetException("Datasets are not allowed: Orbit:Retrainer:Data:DatasetRoot is not set.");
        }

        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(fullRoot, relativePath));
        if (Path.IsPathRooted(relativePath) || !path.StartsWith(fullRoot, StringComparison.Ordinal))
        {
            throw new DatasetException($"Dataset '{relativePath}' is outside the dataset root.");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new DatasetException($"Dataset '{relativePath}' does not exist under the dataset root.");
        }

        // A link inside the root may point anywhere: its final target must be inside too.
        var target = file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        var realRoot = new DirectoryInfo(fullRoot).ResolveLinkTarget(true)?.FullName is { } linkedRoot
            ? Path.TrimEndingDirectorySeparator(linkedRoot) + Path.DirectorySeparatorChar
            : fullRoot;
        if (!target.StartsWith(fullRoot, StringComparison.Ordinal) && !target.StartsWith(realRoot, StringComparison.Ordinal))
        {
            throw new DatasetException($"Dataset '{relativePath}' links outside the dataset root.");
        }

        return target;
    }
}

/// <summary>A dataset that may not or cannot be read; the message is the recorded reason.</summary>
internal sealed class DatasetException(string message) : Exception(message);
