using System.Text;
using CsCheck;

namespace Orbit.Hardening.Tests.Fuzz;

/// <summary>
/// Generated raw bus messages for a model's inference queue, as a publisher in any language could
/// send them: not JSON, JSON of the wrong shape, fields missing or of the wrong type, hostile tensors.
/// </summary>
internal static class BusMessages
{
    private static readonly string[] Bodies =
    [
        "not json",
        "",
        "[]",
        "null",
        "{}",
        "{\"requestId\":7}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\"}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"inputs\":\"x\"}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[4294967296,4294967296],\"data\":[]}]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-3],\"rawData\":\"AAAA\"}]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[268435000],\"data\":[]}]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"modelVersion\":\"one\",\"inputs\":[]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"deadline\":\"soon\",\"inputs\":[]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"priority\":\"high\",\"inputs\":[]}",
        "{\"requestId\":\"r\",\"tenantId\":\"other\",\"modelName\":\"{model}\",\"inputs\":[]}",
        "{\"requestId\":\"r\",\"tenantId\":\"{tenant}\",\"modelName\":\"{model}\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3,4,5],\"rawData\":\"!!notbase64\"}]}",
    ];

    public static Gen<byte[]> For(string tenant, string model) => Gen.Select(Gen.Int[0, Bodies.Length - 1], Gen.Int[0, 4], Gen.Int[0, int.MaxValue], (body, mangle, at) =>
    {
        var bytes = Encoding.UTF8.GetBytes(Bodies[body].Replace("{tenant}", tenant, StringComparison.Ordinal).Replace("{model}", model, StringComparison.Ordinal));
        return mangle == 0 && bytes.Length > 1 ? bytes[..(at % bytes.Length)] : bytes;
    });
}
