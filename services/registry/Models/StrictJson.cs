using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbit.Registry.Models;

/// <summary>Request JSON as the registry reads it: camelCase, and an unknown property is an error (it is usually a typo).</summary>
internal static class StrictJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };
}
