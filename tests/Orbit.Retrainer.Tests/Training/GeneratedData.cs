using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Tests.Training;

/// <summary>Data sets with a known rule, drawn from a seeded generator.</summary>
internal static class GeneratedData
{
    public static readonly string[] Names = ["x0", "x1", "x2"];

    /// <summary>Label 1 when x0 + 2·x1 > 0.5 (x2 is noise); <paramref name="flip"/> inverts the rule (the shifted distribution).</summary>
    public static TrainingTable Classification(int rows, int seed, bool flip = false)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            features[i] = [(float)random.NextDouble() * 2 - 1, (float)random.NextDouble() * 2 - 1, (float)random.NextDouble()];
            var positive = features[i][0] + 2 * features[i][1] > 0.5;
            labels[i] = positive ^ flip ? 1 : 0;
        }

        return new TrainingTable(LearningTask.BinaryClassification, Names, features, labels);
    }

    /// <summary>y = 3·x0 − 2·x1 + 1 plus a little noise.</summary>
    public static TrainingTable Regression(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            features[i] = [(float)random.NextDouble() * 2 - 1, (float)random.NextDouble() * 2 - 1, (float)random.NextDouble()];
            labels[i] = 3 * features[i][0] - 2 * features[i][1] + 1 + (random.NextDouble() - 0.5) * 0.1;
        }

        return new TrainingTable(LearningTask.Regression, Names, features, labels);
    }
}
