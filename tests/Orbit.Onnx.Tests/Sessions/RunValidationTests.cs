using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Sessions;

public sealed class RunValidationTests
{
    [Fact]
    public void A_wrong_input_type_names_the_input_and_the_expected_type()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);
        using var b = OnnxTensor.FromArray(new long[3], 1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(a, b));

        Assert.Contains("'b'", error.Message);
        Assert.Contains("expects float [batch,3]", error.Message);
        Assert.Contains("got int64 [1,3]", error.Message);
    }

    [Fact]
    public void A_wrong_shape_names_the_input_and_the_expected_shape()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[4], 1, 4);
        using var b = OnnxTensor.FromArray(new float[3], 1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(a, b));

        Assert.Contains("'a' expects float [batch,3] but got float [1,4]", error.Message);
    }

    [Fact]
    public void A_wrong_rank_is_refused_before_ORT_sees_it()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(a, a));

        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void A_wrong_number_of_inputs_lists_what_the_model_takes()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(a));

        Assert.Contains("2 inputs ('a', 'b'), got 1", error.Message);
    }

    [Fact]
    public void An_unknown_input_name_lists_the_models_inputs()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OnnxTensor> { ["a"] = a, ["c"] = a }));

        Assert.Contains("no input 'c'", error.Message);
        Assert.Contains("'b' float [batch,3]", error.Message);
    }

    [Fact]
    public void A_missing_named_input_is_named()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OnnxTensor> { ["a"] = a }));

        Assert.Contains("Input 'b' (float [batch,3]) is missing", error.Message);
    }

    [Fact]
    public void A_preallocated_output_of_the_wrong_type_names_the_output()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[3], 1, 3);
        using var wrong = OnnxTensor.Allocate<double>(1, 3);

        var error = Assert.Throws<ArgumentException>(() => session.Run([a, a], [wrong]));

        Assert.Contains("Output 'sum' expects float [batch,3] but got double [1,3]", error.Message);
    }
}
