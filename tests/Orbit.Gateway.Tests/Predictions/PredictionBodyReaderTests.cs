using System.Text.Json;
using Orbit.Gateway.Predictions;

namespace Orbit.Gateway.Tests.Predictions;

public sealed class PredictionBodyReaderTests
{
    private const string Inputs = """[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]""";

    [Fact]
    public void An_HTTP_body_is_an_OIP_infer_body_with_a_model_version_and_priority()
    {
        var (submission, refusal) = ReadHttp($$"""{"id":"r1","model":"churn","version":2,"priority":1,"inputs":{{Inputs}}}""", "key-1");

        Assert.Null(refusal);
        Assert.Equal(("churn", "2", 1, "r1", "key-1", "http"),
            (submission!.Model, submission.Version, submission.Priority, submission.Request.Id, submission.IdempotencyKey, submission.Source));
        Assert.Equal(8, submission.Request.Inputs[0].RawData!.Length);
    }

    [Theory]
    [InlineData("""{"inputs":[]}""", "model")]
    [InlineData("""{"model":"m","version":true,"inputs":[]}""", "version")]
    [InlineData("""{"model":"m","priority":12,"inputs":[]}""", "priority")]
    [InlineData("""{"model":"m","inputs":[]}""", "inputs")]
    [InlineData("""{"model":"m","inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[1,2]}]}""", "inputs")]
    [InlineData("""{"model":"m","id":5,"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", "id")]
    [InlineData("""[1]""", "body")]
    public void A_bad_HTTP_body_is_refused_naming_the_field(string body, string field)
    {
        var (submission, refusal) = ReadHttp(body, null);

        Assert.Null(submission);
        Assert.Equal((400, field), (refusal!.Status, refusal.Field));
    }

    [Fact]
    public void A_bus_message_is_a_plain_InferenceRequested_whose_request_id_identifies_it()
    {
        var (submission, refusal) = ReadMessage($$"""{"requestId":"e-1","modelName":"churn","modelVersion":null,"requestedOutputs":["y"],"routingKey":"c42","inputs":{{Inputs}}}""");

        Assert.Null(refusal);
        Assert.Equal(("churn", null, "e-1", "c42", "y"),
            (submission!.Model, submission.Version, submission.Request.Id, submission.Request.RoutingKey, submission.Request.Outputs!.Single()));
    }

    [Theory]
    [InlineData("""{"modelName":"m","inputs":[]}""", "requestId")]
    [InlineData("""{"requestId":"r","inputs":[]}""", "modelName")]
    [InlineData("""{"requestId":"r","modelName":"m","modelVersion":"two","inputs":[]}""", "modelVersion")]
    [InlineData("""{"requestId":"r","modelName":"m","requestedOutputs":"y","inputs":[]}""", "requestedOutputs")]
    [InlineData("""{"requestId":"r","modelName":"m","inputs":"x"}""", "inputs")]
    public void A_bad_bus_message_is_refused_naming_the_field(string body, string field)
    {
        var (submission, refusal) = ReadMessage(body);

        Assert.Null(submission);
        Assert.Equal(field, refusal!.Field);
    }

    private static (Submission?, SubmissionRefusal?) ReadHttp(string body, string? key)
    {
        using var document = JsonDocument.Parse(body);
        return PredictionBodyReader.ReadHttp(document.RootElement, body.Length, key);
    }

    private static (Submission?, SubmissionRefusal?) ReadMessage(string body)
    {
        using var document = JsonDocument.Parse(body);
        return PredictionBodyReader.ReadMessage(document.RootElement, body.Length, PredictionSources.RabbitMq);
    }
}
