using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orbit.Cli.Registry;

/// <summary>
/// The local checks of <c>orbit models push</c>, before anything is sent: the model file is a file
/// that exists, the metadata file is a JSON object. <c>--description</c> and <c>--tag</c> go into the
/// metadata part, which is where the registry reads a new version's description and tags.
/// </summary>
internal static class PushInput
{
    public static (string? Metadata, string? Error) Read(string file, string? metadataPath, string? description, IReadOnlyList<string> tags)
    {
        if (Directory.Exists(file))
        {
            return (null, $"FILE '{file}' is a directory, not an .onnx file");
        }

        if (!File.Exists(file))
        {
            return (null, $"FILE '{file}' does not exist");
        }

        JsonObject? metadata = null;
        string? text = null;
        if (metadataPath is not null)
        {
            if (!File.Exists(metadataPath))
            {
                return (null, $"--metadata '{metadataPath}' does not exist");
            }

            try
            {
                text = File.ReadAllText(metadataPath);
                metadata = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException ex)
            {
                return (null, $"--metadata '{metadataPath}' is not valid JSON: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"--metadata '{metadataPath}' cannot be read: {ex.Message}");
            }

            if (metadata is null)
            {
                return (null, $"--metadata '{metadataPath}' must hold a JSON object ({{\"datasetVersion\": ..., \"trainingDate\": ...}})");
            }
        }

        if (tags.Any(string.IsNullOrWhiteSpace))
        {
            return (null, "--tag must not be empty");
        }

        if (description is null && tags.Count == 0)
        {
            // Sent as written: the registry stores the metadata part as given.
            return (text, null);
        }

        metadata ??= [];
        if (description is not null)
        {
            metadata["description"] = description;
        }

        if (tags.Count > 0)
        {
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }

        return (metadata.ToJsonString(), null);
    }
}
