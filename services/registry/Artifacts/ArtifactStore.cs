using System.Security.Cryptography;
using Orbit.Contracts.Wire;
using Orbit.Hosting;

namespace Orbit.Registry.Artifacts;

/// <summary>
/// Content-addressed files under <c>{data}/objects/sha256/ab/cdef…</c>. Uploads stream into
/// <c>{data}/tmp/</c> while being hashed and are moved into place atomically, so a reader never
/// sees a partial object; identical bytes are stored once. Paths come only from validated digests.
/// Every object is re-hashed before it is served (verify on read, as OCI registries and ZFS do): no
/// file attribute is trusted to say the bytes are unchanged.
/// </summary>
internal sealed partial class ArtifactStore
{
    private const int BufferSize = 1 << 20;
    private readonly string _objects;
    private readonly string _temp;
    private readonly ILogger<ArtifactStore> _logger;
    private readonly TimeProvider _time;

    public ArtifactStore(OrbitServiceInfo service, TimeProvider time, ILogger<ArtifactStore> logger)
    {
        _time = time;
        var root = service.DataDirectory;
        _objects = Path.Combine(root, "objects", "sha256");
        _temp = Path.Combine(root, "tmp");
        _logger = logger;
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_temp);
    }

    /// <summary>Streams <paramref name="body"/> into a temp file while hashing it, refusing more than <paramref name="maxBytes"/>.</summary>
    public async Task<StagedArtifact> StageAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var tempPath = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".upload");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ArtifactTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            return new StagedArtifact(tempPath, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Moves the staged file to its address and makes the move durable (the directory is fsynced).
    /// Returns false when identical bytes were already stored (the staged copy is dropped). Either way
    /// the object's write time becomes now, so the orphan collector gives the version row that is
    /// about to reference it a full grace period.
    /// </summary>
    public bool Commit(StagedArtifact staged)
    {
        var target = PathFor(staged.Hex);
        var shard = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(shard))
        {
            Directory.CreateDirectory(shard);
            DirectorySync.Flush(_objects);
        }

        if (File.Exists(target))
        {
            staged.Dispose();
            Touch(target);
            return false;
        }

        try
        {
            File.Move(staged.TempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes won the race.
            staged.Dispose();
            Touch(target);
            return false;
        }

        Touch(target);
        DirectorySync.Flush(shard);
        return true;
    }

    /// <summary>Removes an object this request created when its database row did not commit.</summary>
    public void Remove(string hex)
    {
        var path = PathFor(hex);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The object's path if it exists and its bytes, read now, still hash to its digest;
    /// <see cref="ArtifactCheck.Corrupted"/> when they do not (it is then never served). Nothing is
    /// cached: a change that keeps the size and write time, or bit rot that changes no attribute at
    /// all, is caught on the next read. Hashing runs at disk or page-cache speed (see docs/reliability-registry.md).
    /// </summary>
    public async Task<(ArtifactCheck Check, string? Path)> OpenVerifiedAsync(string hex, CancellationToken cancellationToken)
    {
        var path = PathFor(hex);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (ArtifactCheck.Missing, null);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (actual != hex)
        {
            LogCorrupted(_logger, Digest.Format(hex), Digest.Format(actual), path);
            return (ArtifactCheck.Corrupted, null);
        }

        return (ArtifactCheck.Ok, path);
    }

    /// <summary>Deletes uploads that a crash or an aborted request left in the temp folder.</summary>
    public int SweepTemp()
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(_temp, "*.upload"))
        {
            File.Delete(file);
            count++;
        }

        return count;
    }

    /// <summary>
    /// Deletes objects that no version references and that were last committed before
    /// <paramref name="cutoff"/>: left by a crash between the move and the database commit.
    /// </summary>
    public async Task<int> CollectOrphansAsync(DateTimeOffset cutoff, Func<string, CancellationToken, Task<bool>> isReferenced, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var shard in Directory.EnumerateDirectories(_objects))
        {
            foreach (var path in Directory.EnumerateFiles(shard))
            {
                var hex = Path.GetFileName(shard) + Path.GetFileName(path);
                if (!Digest.TryParseHex(hex, out _) || !IsOlderThan(path, cutoff)
                    || await isReferenced(Digest.Format(hex), cancellationToken))
                {
                    continue;
                }

                // Looked at again last: an upload of the same bytes commits by touching the object first.
                if (IsOlderThan(path, cutoff))
                {
                    File.Delete(path);
                    LogOrphanRemoved(_logger, Digest.Format(hex));
                    count++;
                }
            }
        }

        return count;
    }

    public string PathFor(string hex) => Path.Combine(_objects, hex[..2], hex[2..]);

    private static bool IsOlderThan(string path, DateTimeOffset cutoff)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LastWriteTimeUtc < cutoff.UtcDateTime;
    }

    private void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        }
        catch (FileNotFoundException)
        {
            // Collected just now as an orphan: the caller's version row will point at nothing, which the download check reports.
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.OrphanRemoved, Level = LogLevel.Information, Message = "Removed artifact {Digest}: no version references it and it is older than the grace period")]
    private static partial void LogOrphanRemoved(ILogger logger, string digest);

    [LoggerMessage(EventId = RegistryLogEvents.Corrupted, Level = LogLevel.Error, Message = "Artifact {Digest} is corrupted on disk (its bytes hash to {Actual}); refusing to serve {Path}")]
    private static partial void LogCorrupted(ILogger logger, string digest, string actual, string path);
}

internal enum ArtifactCheck
{
    Ok,
    Missing,
    Corrupted,
}
