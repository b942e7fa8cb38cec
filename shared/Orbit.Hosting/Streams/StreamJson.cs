using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbit.Hosting.Streams;

/// <summary>
/// The bodies on the streams: web defaults (camelCase, case-insensitive reading, enums as the contracts
/// say). Reading respects the contracts' nullability and required constructor parameters, so a body
/// that lacks a required field is an error rather than a record with a null in it. NaN and infinities
/// (a missing feature value in a prediction log) are written as the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c>, and numbers are also read from strings. A prediction log's values that are exactly float32
/// are written in float32's shortest form (<see cref="LoggedRowJson"/>).
/// </summary>
public static class StreamJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new LoggedRowJson() },
    };
}
