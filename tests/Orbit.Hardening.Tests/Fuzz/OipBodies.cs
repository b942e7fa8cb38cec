using System.Globalization;
using System.Text;
using CsCheck;

namespace Orbit.Hardening.Tests.Fuzz;

/// <summary>
/// Generated OIP v2 infer bodies, mostly malformed: each input's name, datatype, shape and data are
/// drawn from values that are valid, wrong in type, out of range, contradictory or hostile (huge
/// dimensions, overflowing products, negative sizes, deep nesting, duplicate names), and whole bodies
/// are sometimes not objects, truncated mid-token, or not UTF-8. Written as text, so a body need not
/// be JSON at all.
/// </summary>
internal static class OipBodies
{
    private static readonly string[] Names = ["\"x\"", "\"y\"", "\"\"", "1", "null", "true", "\"" + new string('n', 5000) + "\"", "\"x\\u0000\"", "\"../../etc/passwd\"", "{}"];

    private static readonly string[] Datatypes = ["\"FP32\"", "\"FP64\"", "\"INT64\"", "\"INT8\"", "\"BOOL\"", "\"BYTES\"", "\"FP16\"", "\"BF16\"", "\"fp32\"", "\"XYZ\"", "\"\"", "7", "null", "[]"];

    private static readonly string[] Dims =
    [
        "3", "4", "5", "1", "0", "-1", "-3000000000", "2147483648", "4294967296", "3000000000", "268435000",
        "9223372036854775807", "9223372036854775808", "1e20", "3.5", "\"3\"", "null", "[]", "true",
    ];

    private static readonly string[] Scalars =
    [
        "0", "1", "-1", "1.5", "3.4028235e39", "1e309", "-1e309", "9223372036854775808", "\"a\"", "\"\"", "true", "false", "null", "{}", "NaN", "Infinity", "0x10",
    ];

    private static Gen<string> Shape => Gen.OneOf(
        Gen.Int[0, Dims.Length - 1].Array[0, 6].Select(ix => "[" + string.Join(",", ix.Select(i => Dims[i])) + "]"),
        Gen.Const("[3,4,5]"),
        Gen.Const("\"3,4,5\""),
        Gen.Const("null"));

    private static Gen<string> Data => Gen.OneOf(
        Gen.Int[0, 80].Select(n => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]"),
        Gen.Int[0, Scalars.Length - 1].Array[0, 70].Select(ix => "[" + string.Join(",", ix.Select(i => Scalars[i])) + "]"),
        Gen.Int[1, 200].Select(depth => new string('[', depth) + "1" + new string(']', depth)),
        Gen.Int[1, 4].Select(rows => "[" + string.Join(",", Enumerable.Range(0, rows).Select(r => "[" + string.Join(",", Enumerable.Range(0, r + 3)) + "]")) + "]"),
        Gen.Const("\"AAAA\""),
        Gen.Const("{}"),
        Gen.Const("null"));

    private static Gen<string> Input => Gen.Select(
        Gen.Int[0, Names.Length - 1], Gen.Int[0, Datatypes.Length - 1], Shape, Data, Gen.Int[0, 15],
        (name, datatype, shape, data, drop) =>
        {
            // Now and then a field goes missing.
            var fields = new List<string>();
            if (drop != 1) fields.Add("\"name\":" + Names[name]);
            if (drop != 2) fields.Add("\"datatype\":" + Datatypes[datatype]);
            if (drop != 3) fields.Add("\"shape\":" + shape);
            if (drop != 4) fields.Add("\"data\":" + data);
            if (drop == 5) fields.Add("\"parameters\":{\"binary_data_size\":-5}");
            return "{" + string.Join(",", fields) + "}";
        });

    private static readonly string[] Timeouts = ["1", "-1", "0", "\"abc\"", "1e12", "10000", "null"];

    private static Gen<string> Body => Gen.Select(
        Input.Array[0, 4], Gen.Int[0, Timeouts.Length - 1], Gen.Int[0, 9], Gen.Bool,
        (inputs, timeout, shape, withId) =>
        {
            var parts = new List<string> { "\"inputs\":[" + string.Join(",", inputs) + "]" };
            if (withId) parts.Add("\"id\":\"fuzz\"");
            if (shape == 1) parts.Add("\"parameters\":{\"timeout\":" + Timeouts[timeout] + ",\"routing_key\":{\"a\":[1,2]}}");
            if (shape == 2) parts.Add("\"outputs\":[{\"name\":\"nope\"},7,null]");
            return shape switch
            {
                3 => "[" + string.Join(",", parts) + "]",
                4 => "\"inputs\"",
                5 => "{" + string.Join(",", parts) + "," + string.Join(",", parts) + "}",
                _ => "{" + string.Join(",", parts) + "}",
            };
        });

    private static readonly string[] Mutations =
    [
        "\"name\":\"y\"|\"name\":\"z\"",
        "\"datatype\":\"FP32\",\"shape\":[3,4,5],\"data\":[0|\"datatype\":\"FP64\",\"shape\":[3,4,5],\"data\":[0",
        "[3,4,5]|[5,4,3]",
        "[3,4,5]|[60]",
        ",59]|,3.4e39]",
        "]}]}|]}],\"outputs\":[{\"name\":\"nope\"}]}",
        "]}]}|]},{\"name\":\"w\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}",
        "\"inputs\":[|\"parameters\":{\"timeout\":1},\"inputs\":[",
    ];

    /// <summary>The model's valid request with one thing changed, so the worker, not only the gateway, has to refuse it.</summary>
    public static Gen<string> NearlyValid(string valid) => Gen.Int[0, Mutations.Length - 1].Select(i =>
    {
        var (from, to) = (Mutations[i].Split('|')[0], Mutations[i].Split('|')[1]);
        var at = valid.LastIndexOf(from, StringComparison.Ordinal);
        return at < 0 ? valid : valid[..at] + to + valid[(at + from.Length)..];
    });

    /// <summary>A body as bytes: usually the generated text, sometimes cut short or with bytes that are not UTF-8.</summary>
    public static Gen<byte[]> Bytes(string valid) => Gen.Select(Gen.OneOf(Body, Body, NearlyValid(valid)), Gen.Int[0, 9], Gen.Int[0, int.MaxValue], (body, mangle, at) =>
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return mangle switch
        {
            0 when bytes.Length > 1 => bytes[..(at % bytes.Length)],
            1 => [.. bytes.Take(bytes.Length / 2), 0xff, 0xfe, 0xc3, .. bytes.Skip(bytes.Length / 2)],
            _ => bytes,
        };
    });
}
