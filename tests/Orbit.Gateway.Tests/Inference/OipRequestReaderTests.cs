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
        var (request, error) = OipRequestReader.Read(JsonDocument.Parse(body).RootElement, Encoding.UTF8.GetByteCount(body));

        Assert.Null(request);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("FP64", "[268435000]", "[]", "input 'x' has shape [268435000] of 268435000 elements, more than a body of")]
    [InlineData("FP32", "[3000000000]", "[]", "input 'x' has shape [3000000000] of 3000000000 elements, more than a body of")]
    [InlineData("FP32", "[4294967296,4294967296]", "[1]", "input 'x' has shape [4294967296,4294967296] whose element count overflows")]
    [InlineData("FP32", "[9223372036854775807,2]", "[1]", "whose element count overflows")]
    [InlineData("FP32", "[2,-3]", "[1]", "input 'x' has shape dimension 1 that is not a size")]
    [InlineData("FP32", "[2,0]", "[1]", "input 'x' has 1 elements in 'data' but its shape [2,0] needs 0")]
    [InlineData("FP32", "[2,2]", "[[1,2,3],[4]]", "input 'x' has 3 entries in 'data' at data[0] but its shape [2,2] needs 2 in dimension 1")]
    [InlineData("FP32", "[4]", "[[1,2],[3,4]]", "input 'x' has 2 entries in 'data' at data but its shape [4] needs 4")]
    [InlineData("FP32", "[2,2]", "[[1,[2]],[3,4]]", "input 'x' has 'data' nested deeper than its shape [2,2] at data[0][1]")]
    [InlineData("FP32", "[2,2,1]", "[[1,2],[3,4]]", "input 'x' has 'data' nested 2 deep at data[0][0] but its shape [2,2,1] has 3 dimensions")]
    [InlineData("BYTES", "[100000]", "[\"a\"]", "input 'x' has shape [100000] of 100000 elements, more than a body of")]
    public void A_shape_that_the_body_or_the_data_contradicts_is_refused_naming_the_input(string datatype, string shape, string data, string expected)
    {
        var body = $$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}]}""";

        var (request, error) = OipRequestReader.Read(JsonDocument.Parse(body).RootElement, Encoding.UTF8.GetByteCount(body));

        Assert.Null(request);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_huge_declared_shape_allocates_nothing_for_it()
    {
        const string body = """{"inputs":[{"name":"x","datatype":"FP64","shape":[268435000],"data":[]}]}""";
        var root = JsonDocument.Parse(body).RootElement;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (_, error) = OipRequestReader.Read(root, body.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(error);
        Assert.True(allocated < 64 * 1024, $"reading a refused 2 GiB shape allocated {allocated} bytes");
    }

    [Fact]
    public void A_zero_dimension_with_no_data_is_an_empty_tensor()
    {
        var request = Read("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2,0],"data":[]}]}""");

        Assert.Empty(request.Inputs[0].RawData!);
        Assert.Equal([2L, 0], request.Inputs[0].Shape);
    }

    [Fact]
    public void Requested_outputs_id_and_parameters_are_read()
    {
        var request = Read("""{"id":"r1","parameters":{"routing_key":"cust-9","timeout":250},"inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[7]}],"outputs":[{"name":"y"}]}""");

        Assert.Equal(("r1", "cust-9", (int?)250), (request.Id, request.RoutingKey, request.TimeoutMilliseconds));
        Assert.Equal(["y"], request.Outputs!);
    }

    [Fact]
    public void Parameter_log_prediction_asks_for_the_prediction_log_and_must_be_a_boolean()
    {
        const string Inputs = "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]";

        Assert.True(Read($$"""{"id":"client-7","parameters":{"log_prediction":true},{{Inputs}}}""").LogPrediction);
        Assert.False(Read($$"""{{{Inputs}}}""").LogPrediction);
        var (_, error) = OipRequestReader.Read(JsonDocument.Parse($$"""{"parameters":{"log_prediction":"yes"},{{Inputs}}}""").RootElement, 1000);
        Assert.Equal("parameters.log_prediction must be true or false", error);
    }

    [Fact]
    public void A_binary_header_lists_its_binary_inputs_in_order_and_allocates_nothing_for_them()
    {
        const string header = """
            {"inputs":[{"name":"a","datatype":"FP32","shape":[2,3],"parameters":{"binary_data_size":24}},
                       {"name":"b","datatype":"INT64","shape":[1],"data":[5]},
                       {"name":"c","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":10}}],
             "outputs":[{"name":"y","parameters":{"binary_data":true}},{"name":"z"}]}
            """;

        var (request, binary, error) = OipRequestReader.ReadHeader(JsonDocument.Parse(header).RootElement, 1000);

        Assert.Null(error);
        Assert.Equal([new OipRequestReader.BinaryInput(0, 24, 6), new OipRequestReader.BinaryInput(2, 10, 2)], binary);
        Assert.Null(request!.Inputs[0].RawData);
        Assert.Equal(8, request.Inputs[1].RawData!.Length);
        Assert.True(request.BinaryOutputs!.IsBinary("y"));
        Assert.False(request.BinaryOutputs.IsBinary("z"));
    }

    [Theory]
    [InlineData("""{"name":"a","datatype":"FP16","shape":[3],"parameters":{"binary_data_size":8}}""", "input 'a' has binary_data_size 8 but its shape [3] of FP16 takes 6 bytes (3 × 2)")]
    [InlineData("""{"name":"a","datatype":"BYTES","shape":[3],"parameters":{"binary_data_size":11}}""", "input 'a' has binary_data_size 11 but its shape [3] of BYTES takes at least 12 bytes")]
    [InlineData("""{"name":"a","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":"4"}}""", "input 'a' parameters.binary_data_size must be a number of bytes")]
    [InlineData("""{"name":"a","datatype":"FP32","shape":[1],"data":[1],"parameters":{"binary_data_size":4}}""", "input 'a' has both 'data' and parameters.binary_data_size")]
    public void A_binary_input_whose_size_its_shape_contradicts_is_refused(string input, string expected)
    {
        var (request, _, error) = OipRequestReader.ReadHeader(JsonDocument.Parse($"{{\"inputs\":[{input}]}}").RootElement, 1000);

        Assert.Null(request);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_binary_data_output_that_is_not_a_boolean_is_refused()
    {
        var (_, error) = OipRequestReader.Read(JsonDocument.Parse("""{"parameters":{"binary_data_output":1},"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""").RootElement, 1000);

        Assert.Equal("parameters.binary_data_output must be true or false", error);
    }

    private static OipRequestReader.Request Read(string json)
    {
        var (request, error) = OipRequestReader.Read(JsonDocument.Parse(json).RootElement, Encoding.UTF8.GetByteCount(json));
        Assert.Null(error);
        return request!;
    }
}
