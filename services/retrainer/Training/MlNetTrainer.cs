using Microsoft.ML;
using Microsoft.ML.Data;

namespace Orbit.Retrainer.Training;

/// <summary>
/// Trains one of the built-in <see cref="Recipe"/>s with ML.NET and exports it to ONNX (Microsoft.ML.OnnxConverter).
/// The ONNX model has one input, <c>Features</c> (float, [batch, n_features], columns in the table's order), and the
/// outputs ML.NET gives: for classifiers <c>PredictedLabel</c>, <c>Score</c> and <c>Probability</c> (of class 1), for
/// regressors <c>Score</c>. Training is deterministic for a given seed.
/// </summary>
internal sealed class MlNetTrainer
{
    public const string InputName = "Features";

    public TrainedModel Train(TrainingTable table, Recipe recipe, int seed = 1)
    {
        if (Recipes.TaskOf(recipe) != table.Task)
        {
            throw new ArgumentException($"Recipe {Recipes.Name(recipe)} does not fit a {table.Task} table.", nameof(recipe));
        }

        var ml = new MLContext(seed);
        var data = ml.Data.Cache(Load(ml, table, withLabel: true));
        var model = Pipeline(ml, recipe).Fit(data);

        // Exported from a view without the label, so the ONNX model asks only for the features.
        var features = Load(ml, table, withLabel: false);
        using var onnx = new MemoryStream();
        string[] outputs = table.Task == LearningTask.BinaryClassification
            ? ["PredictedLabel", "Score", "Probability"]
            : ["Score"];
        ml.Model.ConvertToOnnx(model, features, onnx, outputs);

        var scored = model.Transform(features);
        var column = table.Task == LearningTask.BinaryClassification ? "Probability" : "Score";
        var reference = scored.GetColumn<float>(column).Select(v => (double)v).ToArray();
        var metrics = table.Task == LearningTask.BinaryClassification
            ? Gate.ModelMetrics.Classification(table.Labels, reference)
            : Gate.ModelMetrics.Regression(table.Labels, reference);
        return new TrainedModel(onnx.ToArray(), metrics, "ml.net/" + Recipes.Name(recipe), reference);
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, Recipe recipe) => recipe switch
    {
        Recipe.LogisticRegression => ml.Transforms.NormalizeMeanVariance(InputName)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: InputName)),
        Recipe.BoostedTrees => ml.BinaryClassification.Trainers.FastTree(
            featureColumnName: InputName, numberOfLeaves: 16, numberOfTrees: 100, minimumExampleCountPerLeaf: 5),
        Recipe.LinearRegression => ml.Transforms.NormalizeMeanVariance(InputName)
            .Append(ml.Regression.Trainers.Sdca(featureColumnName: InputName, maximumNumberOfIterations: 100)),
        Recipe.RegressionTrees => ml.Regression.Trainers.FastTree(
            featureColumnName: InputName, numberOfLeaves: 16, numberOfTrees: 100, minimumExampleCountPerLeaf: 5),
        _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
    };

    private static IDataView Load(MLContext ml, TrainingTable table, bool withLabel)
    {
        var width = table.Width;
        if (table.Task == LearningTask.BinaryClassification)
        {
            var rows = table.Features.Select((f, i) => new BinaryRow { Features = f, Label = table.Labels[i] >= 0.5 });
            return withLabel
                ? ml.Data.LoadFromEnumerable(rows, Schema<BinaryRow>(width))
                : ml.Data.LoadFromEnumerable(table.Features.Select(f => new FeatureRow { Features = f }), Schema<FeatureRow>(width));
        }

        var values = table.Features.Select((f, i) => new RegressionRow { Features = f, Label = (float)table.Labels[i] });
        return withLabel
            ? ml.Data.LoadFromEnumerable(values, Schema<RegressionRow>(width))
            : ml.Data.LoadFromEnumerable(table.Features.Select(f => new FeatureRow { Features = f }), Schema<FeatureRow>(width));
    }

    // The vector's width is known only at run time; ML.NET needs it in the schema to export a fixed [batch, n] input.
    private static SchemaDefinition Schema<T>(int width)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[InputName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class RegressionRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
