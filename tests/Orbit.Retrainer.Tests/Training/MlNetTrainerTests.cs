using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;
using Orbit.Retrainer.Gate;
using Orbit.Retrainer.Training;
using Xunit.Abstractions;

namespace Orbit.Retrainer.Tests.Training;

public sealed class MlNetTrainerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("LogisticRegression")]
    [InlineData("BoostedTrees")]
    public void A_classifier_learns_a_known_rule_and_its_ONNX_export_answers_like_ML_NET(string recipeName)
    {
        var recipe = Enum.Parse<Recipe>(recipeName);
        var train = GeneratedData.Classification(2000, seed: 1);
        var test = GeneratedData.Classification(1000, seed: 2);

        var model = new MlNetTrainer().Train(train, recipe);
        OnnxVerifier.Verify(model, train);

        using var scorer = OnnxScorer.Load(model.Onnx, LearningTask.BinaryClassification, 3);
        var metrics = ModelMetrics.Classification(test.Labels, scorer.Score(test.Features));
        output.WriteLine($"{recipe}: {string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value:0.0000}"))}");
        Assert.True(metrics[ModelMetrics.Accuracy] > 0.93, $"accuracy {metrics[ModelMetrics.Accuracy]}");
        Assert.True(metrics[ModelMetrics.Auc] > 0.97, $"auc {metrics[ModelMetrics.Auc]}");
    }

    [Theory]
    [InlineData("LinearRegression")]
    [InlineData("RegressionTrees")]
    public void A_regressor_learns_a_known_function_and_its_ONNX_export_answers_like_ML_NET(string recipeName)
    {
        var recipe = Enum.Parse<Recipe>(recipeName);
        var train = GeneratedData.Regression(2000, seed: 3);
        var test = GeneratedData.Regression(1000, seed: 4);

        var model = new MlNetTrainer().Train(train, recipe);
        OnnxVerifier.Verify(model, train);

        using var scorer = OnnxScorer.Load(model.Onnx, LearningTask.Regression, 3);
        var rmse = ModelMetrics.RmseOf(test.Labels, scorer.Score(test.Features));
        output.WriteLine($"{recipe}: rmse={rmse:0.0000}");
        Assert.True(rmse < 0.3, $"rmse {rmse}");
    }

    [Fact]
    public void The_exported_classifier_takes_one_float_input_of_batch_by_features_and_gives_a_probability()
    {
        var model = new MlNetTrainer().Train(GeneratedData.Classification(300, seed: 5), Recipe.LogisticRegression);

        using var session = OnnxSession.FromBytes(model.Onnx);
        output.WriteLine("inputs: " + string.Join("; ", session.Inputs.Select(i => $"{i.Name} {i}")));
        output.WriteLine("outputs: " + string.Join("; ", session.Outputs.Select(o => $"{o.Name} {o}")));
        var input = Assert.Single(session.Inputs);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal(2, input.Dimensions.Count);
        Assert.Equal(3, input.Dimensions[1].Size);
        Assert.Contains(session.Outputs, o => o.Name.Contains("prob", StringComparison.OrdinalIgnoreCase) && o.ElementType == TensorElementType.Float);
    }

    [Fact]
    public void A_model_whose_answers_differ_from_the_trainers_is_refused()
    {
        var table = GeneratedData.Classification(200, seed: 6);
        var model = new MlNetTrainer().Train(table, Recipe.LogisticRegression);
        var wrong = model with { ReferenceScores = [.. model.ReferenceScores!.Select(s => s + 0.01)] };

        var error = Assert.Throws<InvalidModelException>(() => OnnxVerifier.Verify(wrong, table));
        Assert.Contains("tolerance", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_ONNX_are_refused_with_ONNX_Runtimes_reason()
    {
        var table = GeneratedData.Classification(10, seed: 7);

        var error = Assert.Throws<InvalidModelException>(() => OnnxVerifier.Verify(new TrainedModel("not onnx"u8.ToArray(), new Dictionary<string, double>(), "test"), table));
        Assert.Contains("cannot load", error.Message);
    }
}
