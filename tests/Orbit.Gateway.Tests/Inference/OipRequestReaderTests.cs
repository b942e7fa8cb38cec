using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Tests.Inference;

public sealed class OipRequestReaderTests
{
    [Fact]
    public void Nested_and_flat_data_give_the_same_row_major_bytes()
    {
        var nested = Read("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,2],"data":[[1,2],[3,4]]}]}""");
        var flat = Read("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,2],"data":[1,2,3,4]}]}""");

        Assert.Equal(flat.Inputs[0].RawData, nested.Inputs[0].RawData);
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(nested.Inputs[0].RawData.AsSpan(8)));
    }

    [Theory]
    [InlineData("INT8", "[-128, 127]", new byte[] { 0x80, 0x7F })]
    [InlineData("UINT16", "[65535]", new byte[] { 0xFF, 0xFF })]
    [InlineData("INT64", "[-2]", new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData("BOOL", "[true, false]", new byte[] { 1, 0 })]
    [InlineData("FP16", "[1.0]", new byte[] { 0x00, 0x3C })]
    public void Each_datatype_is_encoded_little_endian(string datatype, string data, byte[] expected)
    {
        var count = JsonDocument.Parse(data).RootElement.GetArrayLength();

        var request = Read($$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":[{{count}}],"data":{{data}}}]}""");

        Assert.Equal(expected, request.Inputs[0].RawData);
    }

    [Fact]
    public void Bytes_travel_length_prefixed()
    {
        var request = Read("""{"inputs":[{"name":"s","datatype":"BYTES","shape":[2],"data":["hé","!"]}]}""");

        var raw = request.Inputs[0].RawData!;
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(raw));
        Assert.Equal("hé", Encoding.UTF8.GetString(raw, 4, 3));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(7)));
    }

    [Theory]
    [InlineData("""{"inputs":[]}""", "'inputs' must be a non-empty array")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP33","shape":[1],"data":[1]}]}""", "input 'x' needs a 'datatype'")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,2],"data":[1,2,3]}]}""", "input 'x' has 3 elements in 'data' but its shape [2,2] needs 4")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1,2]}]}""", "input 'x' has 2 elements")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"UINT8","shape":[1],"data":[300]}]}""", "input 'x' element 0 (300) is not a valid UINT8")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[-1],"data":[1]}]}""", "input 'x' has shape dimension 0")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":["a"]}]}""", "is not a valid FP32")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]},{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", "input 'x' is given twice")]
    [InlineData("""{"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}""", "inputs[0] needs a 'name'")]
    [InlineData("""[1]""", "must be a JSON object")]
    public void A_malformed_request_names_the_input_and_the_problem(string body, string expected)
    {
        var (request, error) = OipRequestReader.Read(JsonDocument.Parse(body).RootElement);

        Assert.Null(request);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Requested_outputs_id_and_parameters_are_read()
    {
        var request = Read("""{"id":"r1","parameters":{"routing_key":"cust-9","timeout":250},"inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[7]}],"outputs":[{"name":"y"}]}""");

        Assert.Equal(("r1", "cust-9", (int?)250), (request.Id, request.RoutingKey, request.TimeoutMilliseconds));
        Assert.Equal(["y"], request.Outputs!);
    }

    private static OipRequestReader.Request Read(string json)
    {
        var (request, error) = OipRequestReader.Read(JsonDocument.Parse(json).RootElement);
        Assert.Null(error);
        return request!;
    }
}
