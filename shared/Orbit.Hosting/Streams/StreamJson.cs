using System.Text.Json;

namespace Orbit.Hosting.Streams;

/// <summary>
/// The bodies on the streams: web defaults (camelCase, case-insensitive reading, enums as the contracts
/// say). Reading respects the contracts' nullability and required constructor parameters, so a body
/// that lacks a required field is an error rather than a record with a null in it.
/// </summary>
public static class StreamJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
