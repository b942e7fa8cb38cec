using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orbit.Gateway.Tests.Support;

namespace Orbit.Gateway.Tests.Inference;

/// <summary>
/// The OIP binary tensor data extension through the gateway to a real worker: a JSON header whose length
/// <c>Inference-Header-Content-Length</c> gives, then raw little-endian tensor bytes; binary outputs back the same way.
/// </summary>
public sealed class BinaryTensorDataTests(BinaryServingStack serving) : IClassFixture<BinaryServingStack>
{
    private const string HeaderLength = "Inference-Header-Content-Length";
    private static readonly float[] X = Enumerable.Range(0, 60).Select(i => i * 0.5f).ToArray();
    private static readonly float[] Y = Enumerable.Range(0, 60).Select(i => 100 - (i * 0.25f)).ToArray();

    private static readonly string BinaryAddHeader = """
        {"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"parameters":{"binary_data_size":240}},
                   {"name":"y","datatype":"FP32","shape":[3,4,5],"parameters":{"binary_data_size":240}}],
         "outputs":[{"name":"sum","parameters":{"binary_data":true}}]}
        """;

    [Fact]
    public async Task Binary_inputs_and_a_binary_output_give_the_sums_as_raw_little_endian_bytes()
    {
        using var client = serving.Client(serving.Key);

        using var response = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)]));

        var (header, rest) = await SplitAsync(response);
        var output = header.GetProperty("outputs")[0];
        Assert.Equal("sum", output.GetProperty("name").GetString());
        Assert.Equal([3L, 4, 5], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(240, output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(output.TryGetProperty("data", out _));
        Assert.Equal(X.Zip(Y, (a, b) => a + b), Floats(rest));
    }

    [Fact]
    public async Task Binary_and_JSON_give_the_same_answer()
    {
        using var client = serving.Client(serving.Key);
        var json = $$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[{{{Join(X)}}}]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[{{{Join(Y)}}}]}]}""";

        using var plain = await client.PostAsync($"/v2/models/{serving.AddModel}/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        using var binary = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)]));

        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
        Assert.False(plain.Headers.Contains(HeaderLength));
        var fromJson = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle());
        Assert.Equal(fromJson, Floats((await SplitAsync(binary)).Tensors));
    }

    [Fact]
    public async Task Inputs_may_mix_JSON_data_and_binary_data_and_binary_data_output_asks_for_every_output()
    {
        using var client = serving.Client(serving.Key);
        var header = $$$"""
            {"parameters":{"binary_data_output":true},
             "inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[{{{Join(X)}}}]},
                       {"name":"y","datatype":"FP32","shape":[3,4,5],"parameters":{"binary_data_size":240}}]}
            """;

        using var response = await client.SendAsync(Binary(serving.AddModel, header, Bytes(Y)));

        Assert.Equal(X.Zip(Y, (a, b) => a + b), Floats((await SplitAsync(response)).Tensors));
    }

    [Fact]
    public async Task An_output_that_asks_for_JSON_overrides_binary_data_output()
    {
        using var client = serving.Client(serving.Key);
        var header = BinaryAddHeader.Replace("\"binary_data\":true", "\"binary_data\":false", StringComparison.Ordinal)
            .Replace("{\"inputs\"", "{\"parameters\":{\"binary_data_output\":true},\"inputs\"", StringComparison.Ordinal);

        using var response = await client.SendAsync(Binary(serving.AddModel, header, [.. Bytes(X), .. Bytes(Y)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal(X.Zip(Y, (a, b) => a + b), data.EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task A_JSON_request_may_ask_for_a_binary_output_as_Triton_clients_do()
    {
        using var client = serving.Client(serving.Key);
        var json = $$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[3,4,5],"data":[{{{Join(X)}}}]},{"name":"y","datatype":"FP32","shape":[3,4,5],"data":[{{{Join(Y)}}}]}],"outputs":[{"name":"sum","parameters":{"binary_data":true}}]}""";

        using var response = await client.PostAsync($"/v2/models/{serving.AddModel}/infer", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(X.Zip(Y, (a, b) => a + b), Floats((await SplitAsync(response)).Tensors));
    }

    [Fact]
    public async Task A_chunked_binary_body_is_read_as_it_streams()
    {
        using var client = serving.Client(serving.Key);

        using var response = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)], chunked: true));

        Assert.Equal(X.Zip(Y, (a, b) => a + b), Floats((await SplitAsync(response)).Tensors));
    }

    [Fact]
    public async Task BYTES_elements_travel_length_prefixed_both_ways()
    {
        using var client = serving.Client(serving.Key);
        var strings = Enumerable.Range(0, 12).Select(i => (i * 1.5).ToString(CultureInfo.InvariantCulture)).ToArray();
        var tensor = LengthPrefixed(strings);
        var header = $$$"""{"inputs":[{"name":"input","datatype":"BYTES","shape":[3,4],"parameters":{"binary_data_size":{{{tensor.Length}}}}}],"parameters":{"binary_data_output":true}}""";

        using var response = await client.SendAsync(Binary(serving.CastModel, header, tensor));

        var (json, rest) = await SplitAsync(response);
        Assert.Equal("FP32", json.GetProperty("outputs")[0].GetProperty("datatype").GetString());
        Assert.Equal(strings.Select(s => float.Parse(s, CultureInfo.InvariantCulture)), Floats(rest));
    }

    [Theory]
    [InlineData("abc", "Inference-Header-Content-Length 'abc' is not a number of bytes")]
    [InlineData("1.5", "Inference-Header-Content-Length '1.5' is not a number of bytes")]
    [InlineData("-4", "Inference-Header-Content-Length -4 is negative")]
    [InlineData("100000", "Inference-Header-Content-Length 100000 is larger than the body of {body} bytes")]
    [InlineData("10", "the JSON header (the first 10 bytes, as Inference-Header-Content-Length says) is not valid JSON")]
    public async Task A_bad_header_length_is_400_naming_the_problem(string headerLength, string expected)
    {
        using var client = serving.Client(serving.Key);
        var body = Encoding.UTF8.GetByteCount(BinaryAddHeader) + 480;

        using var response = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)], headerLength: headerLength));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Replace("{body}", body.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_header_length_past_a_chunked_body_is_400()
    {
        using var client = serving.Client(serving.Key);

        using var response = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [], headerLength: "5000", chunked: true));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, $"Inference-Header-Content-Length 5000 is larger than the body of {Encoding.UTF8.GetByteCount(BinaryAddHeader)} bytes");
    }

    [Fact]
    public async Task Binary_data_without_the_header_is_400_naming_the_missing_header()
    {
        using var client = serving.Client(serving.Key);
        var json = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}}]}""";
        var octets = new ByteArrayContent([.. Encoding.UTF8.GetBytes(json), 0, 0, 128, 63]);
        octets.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var declared = await client.PostAsync($"/v2/models/{serving.AddModel}/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        using var appended = await client.PostAsync($"/v2/models/{serving.AddModel}/infer", octets);

        await AssertErrorAsync(declared, HttpStatusCode.BadRequest, "input 'x' has parameters.binary_data_size but the request has no Inference-Header-Content-Length header");
        await AssertErrorAsync(appended, HttpStatusCode.BadRequest, "needs the Inference-Header-Content-Length header");
    }

    [Theory]
    [InlineData(236, 240, "input 'x' has binary_data_size 236 but its shape [3,4,5] of FP32 takes 240 bytes (60 × 4)")]
    [InlineData(240, 236, "input 'y' has binary_data_size 236 but its shape [3,4,5] of FP32 takes 240 bytes (60 × 4)")]
    public async Task A_binary_size_that_does_not_match_the_shape_is_400_naming_the_input_and_both_sizes(int xSize, int ySize, string expected)
    {
        using var client = serving.Client(serving.Key);
        var header = BinaryAddHeader.Replace("240}}],", $"{ySize}}}}}],", StringComparison.Ordinal).Replace("240}},", $"{xSize}}}}},", StringComparison.Ordinal);

        using var response = await client.SendAsync(Binary(serving.AddModel, header, [.. Bytes(X), .. Bytes(Y)]));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData(false, 8, "8 bytes are left over after the last input's binary data (480 bytes declared by binary_data_size, 488 sent after the JSON header)")]
    [InlineData(true, 8, "8 bytes are left over after the last input's binary data (480 bytes declared by binary_data_size)")]
    [InlineData(false, -8, "the inputs' binary_data_size add up to more than the 472 bytes the body has after its JSON header")]
    [InlineData(true, -8, "the body ends 232 bytes into the 240 bytes of binary data of input 'y'")]
    public async Task Bytes_left_over_or_missing_after_the_last_input_are_400(bool chunked, int extra, string expected)
    {
        using var client = serving.Client(serving.Key);
        byte[] tensors = [.. Bytes(X), .. Bytes(Y), .. new byte[Math.Max(extra, 0)]];

        using var response = await client.SendAsync(Binary(serving.AddModel, BinaryAddHeader, tensors[..(480 + extra)], chunked: chunked));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 9, 0, 0, 0, (byte)'d' }, "input 'input' BYTES element 1 has length 9, past the end of its 12 bytes of binary data")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a', 1, 0, 0, 0, (byte)'b', 0, 0 }, "input 'input' BYTES element 2's 4-byte length prefix runs past the end of its 12 bytes of binary data")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 }, "input 'input' has 1 bytes of binary data left after its 3 BYTES elements")]
    public async Task BYTES_lengths_that_run_past_the_tensor_are_400(byte[] tensor, string expected)
    {
        using var client = serving.Client(serving.Key);
        var header = $$$"""{"inputs":[{"name":"input","datatype":"BYTES","shape":[3],"parameters":{"binary_data_size":{{{tensor.Length}}}}}]}""";

        using var response = await client.SendAsync(Binary(serving.CastModel, header, tensor));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task An_unknown_model_is_404_and_a_missing_key_401_as_for_JSON()
    {
        using var client = serving.Client(serving.Key);
        using var anonymous = serving.Client(null);

        using var unknown = await client.SendAsync(Binary("no-such-model", BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)]));
        using var keyless = await anonymous.SendAsync(Binary(serving.AddModel, BinaryAddHeader, [.. Bytes(X), .. Bytes(Y)]));

        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model 'no-such-model' not found");
        await AssertErrorAsync(keyless, HttpStatusCode.Unauthorized, "");
    }

    [Theory]
    [InlineData(false, "the request body is over 65536 bytes")]
    [InlineData(true, "add up to more than the request body limit of 65536 bytes")]
    public async Task A_binary_body_over_the_limit_is_413(bool chunked, string expected)
    {
        using var client = serving.Client(serving.Key);
        var header = """{"inputs":[{"name":"x","datatype":"FP32","shape":[20000],"parameters":{"binary_data_size":80000}}]}""";

        using var response = await client.SendAsync(Binary(serving.AddModel, header, new byte[80000], chunked: chunked));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, expected);
    }

    [Fact]
    public async Task Server_metadata_lists_the_extension()
    {
        using var client = serving.Client(serving.Key);

        var metadata = JsonDocument.Parse(await client.GetStringAsync("/v2")).RootElement;

        Assert.Contains("binary_tensor_data", metadata.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    private HttpRequestMessage Binary(string model, string header, byte[] tensors, string? headerLength = null, bool chunked = false)
    {
        var json = Encoding.UTF8.GetBytes(header);
        byte[] body = [.. json, .. tensors];
        HttpContent content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{model}/infer") { Content = content };
        request.Headers.TryAddWithoutValidation(HeaderLength, headerLength ?? json.Length.ToString(CultureInfo.InvariantCulture));
        // Without this the test server buffers a body of unknown length and sends a Content-Length.
        request.Headers.TransferEncodingChunked = chunked ? true : null;
        return request;
    }

    private static async Task<(JsonElement Header, byte[] Tensors)> SplitAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        var length = int.Parse(response.Headers.GetValues(HeaderLength).Single(), CultureInfo.InvariantCulture);
        return (JsonDocument.Parse(body.AsMemory(0, length)).RootElement, body[length..]);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(expected, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    private static byte[] Bytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static float[] Floats(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();

    private static byte[] LengthPrefixed(string[] strings)
    {
        using var buffer = new MemoryStream();
        var length = new byte[4];
        foreach (var s in strings)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            buffer.Write(length);
            buffer.Write(utf8);
        }

        return buffer.ToArray();
    }

    private static string Join(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
