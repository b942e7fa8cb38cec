using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Orbit.Hosting.Errors;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Reads <c>POST /v1/batch-jobs</c>, <c>multipart/form-data</c>: a <c>file</c> part (the input, streamed to a
/// file of a generated name, never held in memory) or a <c>fileId</c> (an input uploaded before to <c>/v1/files</c>), and the fields <c>model</c>, <c>version</c>, <c>format</c>,
/// <c>outputFormat</c>, <c>chunkSize</c>, <c>keep</c>, <c>columns</c> and <c>maxErrorRatio</c> (lists: repeated,
/// or comma-separated), in any order.
/// </summary>
internal sealed class BatchSubmission : IDisposable
{
    private const long EnvelopeAllowance = 64 * 1024;
    private const int FieldLimit = 64 * 1024;
    private static readonly string[] Fields = ["model", "version", "format", "outputFormat", "chunkSize", "keep", "columns", "maxErrorRatio", "fileId"];

    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    private BatchSubmission()
    {
    }

    /// <summary>The uploaded input, under a generated name; deleted on dispose unless it was moved under its job.</summary>
    public string? UploadPath { get; private set; }

    /// <summary>The client's name for the file: a label shown back, never a path.</summary>
    public string? FileName { get; private set; }

    public string? Model => Single("model");

    /// <summary>The id of an uploaded input to run instead of a <c>file</c> part; <see cref="Adopt"/> takes its copy.</summary>
    public string? FileId => Single("fileId");

    /// <summary>Whether any field came with the file (<c>POST /v1/files</c> takes the file alone).</summary>
    public bool HasFields => _fields.Count > 0;

    public string? Version => Single("version");

    public string? Format => Single("format")?.ToLowerInvariant();

    public string? OutputFormat => Single("outputFormat")?.ToLowerInvariant();

    public string? ChunkSize => Single("chunkSize");

    public string? MaxErrorRatio => Single("maxErrorRatio");

    public IReadOnlyList<string> Keep => List("keep");

    public IReadOnlyList<string> Columns => List("columns");

    public static async Task<(BatchSubmission? Submission, IResult? Problem)> ReadAsync(HttpRequest request, BatchFiles files, long maxInputBytes, CancellationToken cancellationToken)
    {
        var limit = maxInputBytes + EnvelopeAllowance;
        if (request.ContentLength is { } length && length > limit)
        {
            return (null, TooLarge($"The upload is {length} bytes; the limit for a batch input is {maxInputBytes} bytes (Orbit:Registry:Batch:MaxInputBytes)."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType,
                title: "Unsupported media type", detail: "Submit a batch job as multipart/form-data with a 'file' part (the input) and the fields 'model', 'format', …",
                extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" }));
        }

        var submission = new BatchSubmission();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return submission.Fail(FieldProblem.For("multipart", "every part needs a Content-Disposition: form-data header with a name"));
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name == "file")
                {
                    if (submission.UploadPath is not null)
                    {
                        return submission.Fail(FieldProblem.For("file", "the 'file' part is given twice"));
                    }

                    submission.FileName = Label(HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
                    submission.UploadPath = files.NewUpload();
                    if (!await CopyAsync(section.Body, submission.UploadPath, maxInputBytes, cancellationToken))
                    {
                        return submission.Fail(TooLarge($"The input is over the limit of {maxInputBytes} bytes (Orbit:Registry:Batch:MaxInputBytes)."));
                    }
                }
                else if (Fields.Contains(name, StringComparer.Ordinal))
                {
                    var value = await ReadFieldAsync(section.Body, cancellationToken);
                    if (value is null)
                    {
                        return submission.Fail(FieldProblem.For(name, $"the '{name}' field is over {FieldLimit} bytes or not UTF-8"));
                    }

                    submission.Add(name, value);
                }
                else
                {
                    return submission.Fail(FieldProblem.For(name.Length > 0 ? name : "multipart", $"unknown part '{name}': send 'file' and the fields {string.Join(", ", Fields)}"));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return submission.Fail(TooLarge($"The input is over the limit of {maxInputBytes} bytes (Orbit:Registry:Batch:MaxInputBytes)."));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException)
        {
            return submission.Fail(FieldProblem.For("multipart", "the multipart body is malformed or ended early: " + ex.Message));
        }

        if (submission.UploadPath is not null && submission.FileId is not null)
        {
            return submission.Fail(FieldProblem.For("fileId", "give the input once: a 'file' part or a 'fileId', not both"));
        }

        if (submission.UploadPath is null && submission.FileId is null)
        {
            return submission.Fail(FieldProblem.For("file", "the 'file' part (the input: csv, jsonl or parquet) is missing; or give 'fileId', the id of a file uploaded to /v1/files"));
        }

        return (submission, null);
    }

    /// <summary>Takes <paramref name="path"/> (a copy of an uploaded file) as this submission's input, labelled <paramref name="name"/>.</summary>
    public void Adopt(string path, string? name)
    {
        UploadPath = path;
        FileName = name;
    }

    /// <summary>Moves the upload under its job; from then on it is the job's.</summary>
    public void MoveTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(UploadPath!, path);
        UploadPath = null;
    }

    public void Dispose()
    {
        if (UploadPath is not null)
        {
            File.Delete(UploadPath);
        }
    }

    public static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private (BatchSubmission?, IResult?) Fail(IResult problem)
    {
        Dispose();
        return (null, problem);
    }

    private void Add(string name, string value)
    {
        if (!_fields.TryGetValue(name, out var values))
        {
            _fields[name] = values = [];
        }

        values.Add(value);
    }

    private string? Single(string name) => _fields.TryGetValue(name, out var values) && values.Count > 0 ? values[^1].Trim() : null;

    private IReadOnlyList<string> List(string name) =>
        _fields.TryGetValue(name, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList()
            : [];

    /// <summary>The client's file name reduced to a harmless label: its last segment, printable, at most 200 characters.</summary>
    private static string? Label(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var last = name.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean.Length <= 200 ? clean : clean[..200];
    }

    private static async Task<bool> CopyAsync(Stream body, string path, long limit, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            size += read;
            if (size > limit)
            {
                return false;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return true;
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > FieldLimit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static IResult TooLarge(string detail) => FieldProblem.For("file", detail, StatusCodes.Status413PayloadTooLarge);
}
