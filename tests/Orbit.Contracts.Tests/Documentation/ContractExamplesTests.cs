using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Orbit.Contracts.Inference;
using Orbit.Testing;

namespace Orbit.Contracts.Tests.Documentation;

/// <summary>
/// docs/contracts.md is what a team in another language copies from, so every example there must
/// deserialize into its record, name every property the record has, and nothing it lacks.
/// </summary>
public sealed partial class ContractExamplesTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Dictionary<string, string> Examples = ReadExamples();

    private static readonly string[] MessageTypeNames =
    [
        "InferenceRequested", "InferenceCompleted", "InferenceRejected", "ModelVersionRegistered",
        "DeploymentChanged", "WorkerHeartbeat", "InferenceBatchRequested", "InferenceBatchCompleted",
        "ApiKeyRevoked", "PredictionRequested", "PredictionCompleted", "PredictionFailed",
        "RetrainRequested", "RetrainAttempted", "ModelVersionProposed",
        "FeatureStatsObserved", "PredictionLogged", "PredictionsLogged", "OutcomeObserved", "ServingWindowObserved", "AccuracyWindowObserved",
        "ShadowWindowObserved",
        "BatchChunkRequested", "BatchChunkCompleted", "BatchChunkFailed", "BatchJobProgressed", "BatchJobFinished",
    ];

    public static TheoryData<string> MessageTypes() => new(MessageTypeNames);

    [Fact]
    public void Every_message_type_is_documented_and_every_documented_type_exists() =>
        Assert.Equal(MessageTypeNames.Order(), Examples.Keys.Order());

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void The_documented_example_deserializes_strictly_and_names_every_property(string typeName)
    {
        var type = ContractType(typeName);
        var json = Examples[typeName];

        var message = JsonSerializer.Deserialize(json, type, Strict);

        Assert.NotNull(message);
        var documented = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToHashSet();
        var declared = type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();
        Assert.Empty(declared.Except(documented));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void The_example_round_trips_with_enums_as_strings(string typeName)
    {
        var type = ContractType(typeName);
        var message = JsonSerializer.Deserialize(Examples[typeName], type, Strict)!;

        var written = JsonSerializer.Serialize(message, type, Strict);
        var again = JsonSerializer.Deserialize(written, type, Strict)!;

        Assert.Equal(JsonSerializer.Serialize(again, type, Strict), written);
        Assert.DoesNotMatch("\"(reason|strategy|severity|metric|trigger)\":\\d", written);
    }

    [Fact]
    public void A_tensor_carries_nested_OIP_data_as_JSON_and_raw_data_as_base64()
    {
        var tensor = new InferenceTensor("x", "FP32", [2], RawData: [0, 0, 128, 63, 0, 0, 0, 64]);

        var json = JsonSerializer.Serialize(tensor, Strict);

        Assert.Contains("\"rawData\":\"AACAPwAAAEA=\"", json);
    }

    [Theory]
    [InlineData("predict_rabbitmq.py")]
    [InlineData("predict_kafka.py")]
    public void The_Python_examples_on_the_page_are_the_files_the_end_to_end_tests_run(string example)
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "contracts.md"));
        var file = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "examples", example));

        Assert.Contains("```python\n" + file + "```", markdown, StringComparison.Ordinal);
    }

    private static Type ContractType(string name) =>
        typeof(InferenceRequested).Assembly.GetTypes().Single(t => t.Name == name && t.IsPublic);

    private static Dictionary<string, string> ReadExamples()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "contracts.md"));
        return SectionWithJson().Matches(markdown).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["json"].Value);
    }

    [GeneratedRegex(@"^## (?<name>\w+)\s*$[^#]*?```json\s*$(?<json>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SectionWithJson();
}
