using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orbit.Drift.Tests;

/// <summary>tools/drift-vectors/vectors.json: cases with numpy/scipy's values, compared to 1e-9.</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonObject> Root = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "vectors.json")))!.AsObject());

    public static JsonArray Section(string name) => Root.Value[name]!.AsArray();

    public static JsonObject Case(string section, string name) =>
        Section(section).Select(c => c!.AsObject()).Single(c => (string)c["name"]! == name);

    public static IEnumerable<object[]> Names(string section) =>
        Section(section).Select(c => new object[] { (string)c!["name"]! });

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();

    public static string[] Strings(JsonNode? node) => node!.AsArray().Select(v => (string)v!).ToArray();

    /// <summary>Within 1e-9, relative to the value's size when that is above one.</summary>
    public static void Near(JsonNode? expected, double? actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual is null || double.IsNaN(actual.Value), $"{what}: expected none, got {actual}");
            return;
        }

        var value = (double)expected;
        Assert.True(actual.HasValue, $"{what}: expected {value}, got none");
        var tolerance = 1e-9 * Math.Max(1, Math.Abs(value));
        Assert.True(Math.Abs(actual!.Value - value) <= tolerance,
            $"{what}: expected {value:R}, got {actual.Value:R} (difference {Math.Abs(actual.Value - value):E2})");
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
