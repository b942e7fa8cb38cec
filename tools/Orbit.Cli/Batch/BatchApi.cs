using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Registry;

/// <summary>The batch-job calls of the API (<c>/v1/batch-jobs</c>).</summary>
internal sealed partial class RegistryApi
{
    /// <summary>Submits a batch job as multipart/form-data; the input is streamed from disk (none when <c>fileId</c> is among the fields).</summary>
    public async Task<ApiResult<BatchJobView>> SubmitBatchAsync(string? filePath, IReadOnlyDictionary<string, string> fields, CancellationToken ct)
    {
        await using var file = filePath is null ? null : OpenInput(filePath);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        if (file is not null)
        {
            content.Add(FilePart(file), "file", Path.GetFileName(filePath)!);
        }

        return await SendAsync<BatchJobView>(HttpMethod.Post, "v1/batch-jobs", content, ct, expectContinue: true);
    }

    /// <summary>Uploads a batch input once (<c>POST /v1/files</c>), to submit it later by its id.</summary>
    public async Task<ApiResult<BatchInputView>> UploadBatchInputAsync(string filePath, CancellationToken ct)
    {
        await using var file = OpenInput(filePath);
        using var content = new MultipartFormDataContent { { FilePart(file), "file", Path.GetFileName(filePath) } };
        return await SendAsync<BatchInputView>(HttpMethod.Post, "v1/files", content, ct, expectContinue: true);
    }

    private static FileStream OpenInput(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static StreamContent FilePart(Stream file)
    {
        var part = new StreamContent(file, 81920);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return part;
    }

    public Task<ApiResult<BatchJobView>> GetBatchAsync(string id, CancellationToken ct) => SendAsync<BatchJobView>(HttpMethod.Get, Job(id), null, ct);

    public Task<ApiResult<Page<BatchJobView>>> ListBatchesAsync(string? cursor, CancellationToken ct) =>
        SendAsync<Page<BatchJobView>>(HttpMethod.Get, "v1/batch-jobs" + Query(("cursor", cursor)), null, ct);

    public Task<ApiResult<BatchJobView>> CancelBatchAsync(string id, CancellationToken ct) => SendAsync<BatchJobView>(HttpMethod.Post, Job(id) + "/cancel", null, ct);

    /// <summary>Streams a job's output (or its errors file) to <paramref name="destination"/>; the bytes written, or the problem.</summary>
    public async Task<ApiResult<long>> DownloadBatchAsync(string id, bool errors, string destination, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(connection.Url, Job(id) + (errors ? "/errors" : "/output")));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            return ApiResult<long>.Failed(Problem.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }

        var temp = destination + ".part";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await response.Content.CopyToAsync(file, ct);
        }

        File.Move(temp, destination, overwrite: true);
        var size = new FileInfo(destination).Length;
        return ApiResult<long>.Ok(size, "{\"bytes\":" + size.ToString(CultureInfo.InvariantCulture) + "}");
    }

    private static string Job(string id) => "v1/batch-jobs/" + Segment(id);
}
