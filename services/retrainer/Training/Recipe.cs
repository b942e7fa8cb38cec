namespace Orbit.Retrainer.Training;

/// <summary>The built-in ML.NET recipes, by their configuration names.</summary>
internal enum Recipe
{
    /// <summary><c>logistic-regression</c>: mean-variance normalisation, then L-BFGS logistic regression.</summary>
    LogisticRegression,

    /// <summary><c>boosted-trees</c>: FastTree gradient-boosted trees, binary.</summary>
    BoostedTrees,

    /// <summary><c>linear-regression</c>: mean-variance normalisation, then SDCA least squares.</summary>
    LinearRegression,

    /// <summary><c>regression-trees</c>: FastTree gradient-boosted trees, regression.</summary>
    RegressionTrees,
}

internal static class Recipes
{
    public static readonly IReadOnlyDictionary<string, Recipe> ByName = new Dictionary<string, Recipe>(StringComparer.OrdinalIgnoreCase)
    {
        ["logistic-regression"] = Recipe.LogisticRegression,
        ["boosted-trees"] = Recipe.BoostedTrees,
        ["linear-regression"] = Recipe.LinearRegression,
        ["regression-trees"] = Recipe.RegressionTrees,
    };

    public static string Name(Recipe recipe) => ByName.First(p => p.Value == recipe).Key;

    public static LearningTask TaskOf(Recipe recipe) =>
        recipe is Recipe.LogisticRegression or Recipe.BoostedTrees ? LearningTask.BinaryClassification : LearningTask.Regression;

    /// <summary>The default recipe of a task: a linear model (fast, robust on little data).</summary>
    public static Recipe DefaultFor(LearningTask task) =>
        task == LearningTask.BinaryClassification ? Recipe.LogisticRegression : Recipe.LinearRegression;
}
