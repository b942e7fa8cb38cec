using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orbit.Contracts.Batch;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Inputs uploaded once (<c>POST /v1/files</c>) and submitted by id, as often as wanted: <c>{data}/batch/files/{id}/</c>
/// holds <c>data</c> and <c>meta.json</c> (its tenant, label, size and SHA-256). The id and every path are generated
/// here; another tenant's file is not found. A job gets its own copy, so deleting the file never touches a job.
/// </summary>
internal sealed partial class BatchInputFiles(BatchFiles files)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string Root => Path.Combine(files.Root, "files");

    public async Task<BatchInputView> StoreAsync(string uploadPath, string tenantId, string? name, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = "bf_" + Guid.CreateVersion7().ToString("N");
        string sha256;
        await using (var stream = File.OpenRead(uploadPath))
        {
            sha256 = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        var stored = new BatchInputView(id, name, new FileInfo(uploadPath).Length, sha256, now, actor);
        Directory.CreateDirectory(Folder(id));
        File.Move(uploadPath, Data(id));
        await BatchFiles.WriteAtomicallyAsync(Meta(id), stream => JsonSerializer.SerializeAsync(stream, new Record(tenantId, stored), Json, cancellationToken));
        return stored;
    }

    /// <summary>The tenant's file, or null (no such id, not an id at all, or another tenant's).</summary>
    public async Task<BatchInputView?> FindAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        if (!IdPattern().IsMatch(id) || !File.Exists(Meta(id)))
        {
            return null;
        }

        await using var stream = File.OpenRead(Meta(id));
        var record = await JsonSerializer.DeserializeAsync<Record>(stream, Json, cancellationToken);
        return record?.TenantId == tenantId ? record.File : null;
    }

    /// <summary>A copy of the file's bytes under a fresh upload name, for a job to take as its input.</summary>
    public string CopyForJob(string id)
    {
        var path = files.NewUpload();
        File.Copy(Data(id), path);
        return path;
    }

    public void Delete(string id) => Directory.Delete(Folder(id), recursive: true);

    private string Folder(string id) => Path.Combine(Root, id);

    private string Data(string id) => Path.Combine(Folder(id), "data");

    private string Meta(string id) => Path.Combine(Folder(id), "meta.json");

    private sealed record Record(string TenantId, BatchInputView File);

    [GeneratedRegex("^bf_[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
