using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Orbit.Hosting.Errors;
using Orbit.Registry.Artifacts;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Models;

/// <summary>
/// Reads a <c>multipart/form-data</c> version upload: a <c>file</c> part (the .onnx bytes, streamed
/// to the temp folder while hashed, never held in memory) and an optional <c>metadata</c> part (JSON).
/// </summary>
internal static class VersionUpload
{
    // Multipart headers and boundaries on top of the two parts' own sizes.
    private const long EnvelopeAllowance = 64 * 1024;

    internal sealed record Parts(StagedArtifact File, string MetadataJson, VersionMetadata Metadata) : IDisposable
    {
        public void Dispose() => File.Dispose();
    }

    public static async Task<(Parts? Parts, IResult? Problem)> ReadAsync(HttpRequest request, RegistryOptions options, ArtifactStore store, CancellationToken cancellationToken)
    {
        var limit = options.MaxArtifactBytes + options.MaxMetadataBytes + EnvelopeAllowance;
        if (request.ContentLength is { } length && length > limit)
        {
            return (null, TooLarge("file", $"The upload is {length} bytes; the limit is {options.MaxArtifactBytes} bytes for the model (Orbit:Registry:MaxArtifactBytes)."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType,
                title: "Unsupported media type", detail: "Upload a version as multipart/form-data with a 'file' part (the .onnx) and an optional 'metadata' part (JSON).",
                extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" }));
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, FieldProblem.For("Content-Type", "the multipart boundary is missing"));
        }

        StagedArtifact? file = null;
        string? metadataJson = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(ref file, FieldProblem.For("multipart", "every part needs a Content-Disposition: form-data header with a name"));
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                switch (name)
                {
                    case "file" when file is null:
                        file = await store.StageAsync(section.Body, options.MaxArtifactBytes, cancellationToken);
                        break;
                    case "metadata" when metadataJson is null:
                        var (json, problem) = await ReadMetadataAsync(section.Body, options.MaxMetadataBytes, cancellationToken);
                        if (problem is not null)
                        {
                            return Fail(ref file, problem);
                        }

                        metadataJson = json;
                        break;
                    case "file" or "metadata":
                        return Fail(ref file, FieldProblem.For(name, $"the '{name}' part is given twice"));
                    default:
                        return Fail(ref file, FieldProblem.For(name ?? "multipart", $"unknown part '{name}': send 'file' and optionally 'metadata'"));
                }
            }
        }
        catch (ArtifactTooLargeException ex)
        {
            return Fail(ref file, TooLarge("file", ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(ref file, TooLarge("file", $"The upload is over the limit of {options.MaxArtifactBytes} bytes for the model (Orbit:Registry:MaxArtifactBytes)."));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException)
        {
            // A body that ends early or is not well-formed multipart: nothing of it is kept.
            return Fail(ref file, FieldProblem.For("multipart", "the multipart body is malformed or ended early: " + ex.Message));
        }

        if (file is null)
        {
            return (null, FieldProblem.For("file", "the 'file' part (the .onnx model) is missing"));
        }

        if (file.Size == 0)
        {
            return Fail(ref file, FieldProblem.For("file", "the model file is empty"));
        }

        metadataJson ??= "{}";
        var (metadata, metadataProblem) = ParseMetadata(metadataJson);
        if (metadataProblem is not null)
        {
            return Fail(ref file, metadataProblem);
        }

        return (new Parts(file, metadataJson, metadata!), null);
    }

    public static (VersionMetadata? Metadata, IResult? Problem) ParseMetadata(string json)
    {
        VersionMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<VersionMetadata>(json, StrictJson.Options);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 1 } p ? "metadata" + p[1..] : "metadata";
            var detail = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown property '{path}'"
                : FirstSentence(ex.Message);
            return (null, FieldProblem.For(path, "the metadata part is not valid: " + detail));
        }

        if (metadata is null)
        {
            return (null, FieldProblem.For("metadata", "the metadata part must be a JSON object"));
        }

        return VersionMetadataValidator.Validate(metadata) is { } problem
            ? (null, FieldProblem.For(problem.Field, problem.Problem))
            : (metadata, null);
    }

    private static async Task<(string? Json, IResult? Problem)> ReadMetadataAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge("metadata", $"The metadata part is over {limit} bytes (Orbit:Registry:MaxMetadataBytes)."));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, FieldProblem.For("metadata", "the metadata part is not UTF-8"));
        }
    }

    private static (Parts?, IResult?) Fail(ref StagedArtifact? file, IResult problem)
    {
        file?.Dispose();
        file = null;
        return (null, problem);
    }

    private static IResult TooLarge(string field, string detail) =>
        FieldProblem.For(field, detail, StatusCodes.Status413PayloadTooLarge);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
