using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Hosting;

namespace Orbit.InferenceWorker.Models;

/// <summary>
/// Model files on disk by digest: <c>{data}/models/sha256/ab/cdef…</c>. A missing file is
/// downloaded to <c>{data}/models/tmp</c>, verified, then moved into place, so the store holds
/// only whole, verified files. Past <c>CacheMaxBytes</c> the least recently used files that no
/// loaded session uses are deleted.
/// </summary>
internal sealed partial class ModelCache
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _downloads = new(StringComparer.Ordinal);
    private readonly ArtifactClient _artifacts;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelCache> _logger;
    private readonly long _maxBytes;
    private readonly Lock _evictLock = new();

    public ModelCache(ArtifactClient artifacts, IOptions<WorkerOptions> options, OrbitServiceInfo service, TimeProvider time, ILogger<ModelCache> logger)
    {
        _artifacts = artifacts;
        _time = time;
        _logger = logger;
        _maxBytes = options.Value.CacheMaxBytes;
        Root = Path.Combine(service.DataDirectory, "models");
    }

    public string Root { get; }

    private string TempDirectory => Path.Combine(Root, "tmp");

    private string StoreDirectory => Path.Combine(Root, "sha256");

    public string PathOf(string digest)
    {
        var hex = Digest.Hex(digest);
        return Path.Combine(StoreDirectory, hex[..2], hex[2..]);
    }

    /// <summary>Whether the verified file for <paramref name="digest"/> is on disk now.</summary>
    public bool Contains(string digest) => Digest.IsValid(digest) && File.Exists(PathOf(digest));

    /// <summary>Deletes downloads a crash left half-written.</summary>
    public int SweepTemp()
    {
        if (!Directory.Exists(TempDirectory))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(TempDirectory))
        {
            File.Delete(file);
            count++;
        }

        return count;
    }

    /// <summary>The verified file for <paramref name="digest"/>, downloaded if missing (once, however many ask).</summary>
    public async Task<string> EnsureAsync(string digest, Func<IReadOnlySet<string>> inUse, CancellationToken cancellationToken)
    {
        if (!Digest.IsValid(digest))
        {
            throw new ModelUnavailableException($"'{digest}' is not a sha256 digest.");
        }

        var path = PathOf(digest);
        if (File.Exists(path))
        {
            Touch(path);
            return path;
        }

        var download = _downloads.GetOrAdd(digest, d => new Lazy<Task<string>>(() => DownloadAsync(d, inUse)));
        try
        {
            return await download.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (download.Value.IsCompleted)
            {
                _downloads.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(digest, download));
            }
        }
    }

    private async Task<string> DownloadAsync(string digest, Func<IReadOnlySet<string>> inUse)
    {
        Directory.CreateDirectory(TempDirectory);
        var temp = Path.Combine(TempDirectory, $"{Digest.Hex(digest)}.{Guid.NewGuid():N}");
        try
        {
            // Not the caller's token: others may wait on the same download.
            await _artifacts.DownloadAsync(digest, temp, CancellationToken.None);
            var path = PathOf(digest);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            Touch(path);
            var keep = new HashSet<string>(inUse(), StringComparer.Ordinal) { digest };
            Evict(keep);
            return path;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Deletes least recently used files not in <paramref name="keep"/> until the store fits; returns the bytes freed.</summary>
    public long Evict(IReadOnlySet<string> keep)
    {
        lock (_evictLock)
        {
            if (!Directory.Exists(StoreDirectory))
            {
                return 0;
            }

            var files = new DirectoryInfo(StoreDirectory).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
            var total = files.Sum(f => f.Length);
            long freed = 0;
            foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
            {
                if (total <= _maxBytes)
                {
                    break;
                }

                var digest = Digest.Format(file.Directory!.Name + file.Name);
                if (keep.Contains(digest))
                {
                    continue;
                }

                var length = file.Length;
                file.Delete();
                total -= length;
                freed += length;
                LogEvicted(_logger, digest, length);
            }

            if (total > _maxBytes)
            {
                LogOverBudget(_logger, total, _maxBytes);
            }

            return freed;
        }
    }

    /// <summary>The file's modification time is its last use, so the order survives restarts.</summary>
    private void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        }
        catch (IOException)
        {
            // Another worker sharing the folder may be replacing it; the order is only a hint.
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.Evicted, Level = LogLevel.Information, Message = "Evicted model file {Digest} ({Bytes} bytes) from the cache")]
    private static partial void LogEvicted(ILogger logger, string digest, long bytes);

    [LoggerMessage(EventId = WorkerLogEvents.OverBudget, Level = LogLevel.Warning, Message = "The model cache holds {Bytes} bytes, over Orbit:Worker:CacheMaxBytes {Max}, all in use")]
    private static partial void LogOverBudget(ILogger logger, long bytes, long max);
}
