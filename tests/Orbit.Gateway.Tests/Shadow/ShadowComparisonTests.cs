using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Gateway.Shadow;

namespace Orbit.Gateway.Tests.Shadow;

public sealed class ShadowComparisonTests
{
    [Fact]
    public void Integer_labels_are_compared_row_by_row()
    {
        var result = ShadowComparison.Compare([Int64("label", 1, 0, 2)], [Int64("label", 1, 1, 2)], ShadowHint.None);

        Assert.Equal(new PairComparison(ComparisonKind.Classification, 3, 2, 0, 0), result);
    }

    [Fact]
    public void String_labels_in_raw_data_are_compared_as_text()
    {
        var result = ShadowComparison.Compare([Strings("label", "cat", "dog")], [Strings("label", "cat", "cow")], ShadowHint.None);

        Assert.Equal((ComparisonKind.Classification, 2L, 1L), (result.Kind, result.Rows, result.AgreedRows));
    }

    [Fact]
    public void Class_scores_are_compared_by_their_argmax_when_the_model_has_classes()
    {
        // Rows: [0.1 0.9] vs [0.2 0.8] agree; [0.6 0.4] vs [0.3 0.7] do not.
        var stable = Json("scores", "FP32", [2, 2], "[[0.1, 0.9], [0.6, 0.4]]");
        var shadow = Json("scores", "FP32", [2, 2], "[[0.2, 0.8], [0.3, 0.7]]");

        var result = ShadowComparison.Compare([stable], [shadow], new ShadowHint(null, null, 2));

        Assert.Equal((ComparisonKind.Classification, 2L, 1L), (result.Kind, result.Rows, result.AgreedRows));
    }

    [Fact]
    public void A_probability_is_labelled_by_the_metadatas_threshold()
    {
        var stable = Json("probability", "FP32", [3], "[0.55, 0.2, 0.9]");
        var shadow = Json("probability", "FP32", [3], "[0.65, 0.62, 0.95]");

        var atSixty = ShadowComparison.Compare([stable], [shadow], new ShadowHint("probability", 0.6, 2));
        var atHalf = ShadowComparison.Compare([stable], [shadow], new ShadowHint(null, null, 2));

        Assert.Equal((3L, 1L), (atSixty.Rows, atSixty.AgreedRows));
        Assert.Equal((3L, 2L), (atHalf.Rows, atHalf.AgreedRows));
    }

    [Fact]
    public void Numeric_outputs_give_the_summed_absolute_difference_of_each_value()
    {
        var stable = Fp32("y", 1f, 2f, 3f);
        var shadow = Fp32("y", 1.5f, 2f, 2f);

        var result = ShadowComparison.Compare([stable], [shadow], ShadowHint.None);

        Assert.Equal((ComparisonKind.Numeric, 3L, 1.5), (result.Kind, result.Values, result.AbsDiffSum));
    }

    [Fact]
    public void The_metadatas_output_is_compared_when_both_answers_have_it_else_the_first_common_one()
    {
        var stable = new[] { Int64("label", 1, 1), Fp32("probability", 0.9f, 0.8f) };
        var shadow = new[] { Int64("label", 1, 0), Fp32("probability", 0.9f, 0.8f) };

        var named = ShadowComparison.Compare(stable, shadow, new ShadowHint("probability", 0.5, 2));
        var first = ShadowComparison.Compare(stable, shadow, new ShadowHint("missing", null, null));

        Assert.Equal(2L, named.AgreedRows);
        Assert.Equal(1L, first.AgreedRows);
    }

    [Fact]
    public void Answers_that_cannot_be_lined_up_are_incomparable()
    {
        Assert.Equal(ComparisonKind.Incomparable, ShadowComparison.Compare([Int64("a", 1)], [Int64("b", 1)], ShadowHint.None).Kind);
        Assert.Equal(ComparisonKind.Incomparable, ShadowComparison.Compare([Int64("a", 1, 2)], [Int64("a", 1)], ShadowHint.None).Kind);
        Assert.Equal(ComparisonKind.Incomparable,
            ShadowComparison.Compare([new InferenceTensor("a", "FP32", [2], RawData: [1, 2, 3])], [Fp32("a", 1, 2)], ShadowHint.None).Kind);
    }

    [Fact]
    public void Hints_are_read_from_the_metadata_the_retrainer_writes()
    {
        using var document = JsonDocument.Parse("""{"prediction":{"output":"probability","threshold":0.5},"classes":["no","yes"]}""");

        Assert.Equal(new ShadowHint("probability", 0.5, 2), ShadowHints.Of(document.RootElement));
        Assert.Equal(ShadowHint.None, ShadowHints.Of(JsonDocument.Parse("[]").RootElement));
    }

    private static InferenceTensor Int64(string name, params long[] values) =>
        new(name, "INT64", [values.Length], RawData: [.. values.SelectMany(BitConverter.GetBytes)]);

    private static InferenceTensor Fp32(string name, params float[] values) =>
        new(name, "FP32", [values.Length], RawData: [.. values.SelectMany(BitConverter.GetBytes)]);

    private static InferenceTensor Strings(string name, params string[] values) =>
        new(name, "BYTES", [values.Length], RawData: [.. values.SelectMany(v => BitConverter.GetBytes(Encoding.UTF8.GetByteCount(v)).Concat(Encoding.UTF8.GetBytes(v)))]);

    private static InferenceTensor Json(string name, string datatype, long[] shape, string data) =>
        new(name, datatype, shape, JsonDocument.Parse(data).RootElement.Clone());
}
