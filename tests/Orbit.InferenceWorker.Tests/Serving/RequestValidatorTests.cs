using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Serving;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Onnx.Sessions;

namespace Orbit.InferenceWorker.Tests.Serving;

public sealed class RequestValidatorTests : IDisposable
{
    private readonly OnnxSession _session = OnnxSession.FromBytes(TestModels.Mlp());

    private static InferenceRequested Request(params InferenceTensor[] inputs) =>
        new("r-1", "acme", "churn", 1, inputs, DateTimeOffset.UtcNow.AddSeconds(5));

    private static InferenceTensor Floats(string name, long[] shape, string datatype = "FP32") =>
        new(name, datatype, shape, RawData: new byte[shape.Aggregate(1L, (a, b) => a * b) * 4]);

    [Fact]
    public void A_well_formed_request_is_decoded_in_the_model_s_input_order()
    {
        var decoded = RequestValidator.Validate(Request(Floats("x", [3, 8])), _session, out var error);

        Assert.Null(error);
        var x = Assert.Single(decoded!);
        Assert.Equal(new long[] { 3, 8 }, x.Shape);
        Assert.Equal(3 * 8 * 4, x.Bytes.Length);
    }

    [Fact]
    public void A_wrong_shape_names_the_input_and_what_the_model_expects()
    {
        RequestValidator.Validate(Request(Floats("x", [1, 3])), _session, out var error);

        Assert.Equal("inputs[0].shape", error!.Field);
        Assert.Equal("input 'x' has shape [1,3]; the model expects [-1,8]", error.Detail);
    }

    [Fact]
    public void A_wrong_datatype_names_both_datatypes()
    {
        RequestValidator.Validate(Request(new InferenceTensor("x", "FP64", [1, 8], RawData: new byte[64])), _session, out var error);

        Assert.Equal("inputs[0].datatype", error!.Field);
        Assert.Equal("input 'x' is FP64; the model expects FP32", error.Detail);
    }

    [Fact]
    public void An_unknown_input_name_lists_the_model_s_inputs()
    {
        RequestValidator.Validate(Request(Floats("x", [1, 8]), Floats("z", [1, 8])), _session, out var error);

        Assert.Equal("inputs[1].name", error!.Field);
        Assert.Contains("'x' FP32 [-1,8]", error.Detail);
    }

    [Fact]
    public void A_missing_input_is_named()
    {
        RequestValidator.Validate(Request([]), _session, out var error);

        Assert.Equal("inputs", error!.Field);
    }

    [Fact]
    public void An_unknown_requested_output_is_named()
    {
        var request = Request(Floats("x", [1, 8])) with { RequestedOutputs = ["y", "nope"] };

        RequestValidator.Validate(request, _session, out var error);

        Assert.Equal("requestedOutputs[1]", error!.Field);
    }

    [Fact]
    public void Json_data_is_accepted_instead_of_raw_data()
    {
        var data = JsonDocument.Parse("[[1,2,3,4,5,6,7,8]]").RootElement;
        var decoded = RequestValidator.Validate(Request(new InferenceTensor("x", "FP32", [1, 8], Data: data)), _session, out var error);

        Assert.Null(error);
        Assert.Equal(8f, BitConverter.ToSingle(decoded![0].Bytes.Span[28..]));
    }

    public void Dispose() => _session.Dispose();
}
