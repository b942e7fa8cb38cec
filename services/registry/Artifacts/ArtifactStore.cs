using System.Collections.Concurrent;
using System.Security.Cryptography;
using Orbit.Contracts.Wire;
using Orbit.Hosting;

namespace Orbit.Registry.Artifacts;

/// <summary>
/// Content-addressed files under <c>{data}/objects/sha256/ab/cdef…</c>. Uploads stream into
/// <c>{data}/tmp/</c> while being hashed and are moved into place atomically, so a reader never
/// sees a partial object; identical bytes are stored once. Paths come only from validated digests.
/// </summary>
internal sealed partial class ArtifactStore
{
    private const int BufferSize = 1 << 20;
    private readonly string _objects;
    private readonly string _temp;
    private readonly ILogger<ArtifactStore> _logger;

    // Objects already verified, by (length, last write): re-hashing a 2 GiB model on every download would cost more than serving it.
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written)> _verified = new(StringComparer.Ordinal);

    public ArtifactStore(OrbitServiceInfo service, ILogger<ArtifactStore> logger)
    {
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

    /// <summary>Moves the staged file to its address. Returns false when identical bytes were already stored (the staged copy is dropped).</summary>
    public bool Commit(StagedArtifact staged)
    {
        var target = PathFor(staged.Hex);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            staged.Dispose();
            return false;
        }

        try
        {
            File.Move(staged.TempPath, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes won the race.
            staged.Dispose();
            return false;
        }
    }

    /// <summary>Removes an object this request created when its database row did not commit.</summary>
    public void Remove(string hex)
    {
        var path = PathFor(hex);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        _verified.TryRemove(hex, out _);
    }

    /// <summary>
    /// The object's path if it exists and its bytes still hash to its digest; <see cref="ArtifactCheck.Corrupted"/>
    /// when they do not (it is then never served).
    /// </summary>
    public async Task<(ArtifactCheck Check, string? Path)> OpenVerifiedAsync(string hex, CancellationToken cancellationToken)
    {
        var path = PathFor(hex);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (ArtifactCheck.Missing, null);
        }

        if (_verified.TryGetValue(hex, out var seen) && seen.Length == info.Length && seen.Written == info.LastWriteTimeUtc)
        {
            return (ArtifactCheck.Ok, path);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (actual != hex)
        {
            LogCorrupted(_logger, Digest.Format(hex), Digest.Format(actual), path);
            return (ArtifactCheck.Corrupted, null);
        }

        _verified[hex] = (info.Length, info.LastWriteTimeUtc);
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

    public string PathFor(string hex) => Path.Combine(_objects, hex[..2], hex[2..]);

    [LoggerMessage(EventId = RegistryLogEvents.Corrupted, Level = LogLevel.Error, Message = "Artifact {Digest} is corrupted on disk (its bytes hash to {Actual}); refusing to serve {Path}")]
    private static partial void LogCorrupted(ILogger logger, string digest, string actual, string path);
}

internal enum ArtifactCheck
{
    Ok,
    Missing,
    Corrupted,
}
