using System.ComponentModel.DataAnnotations;

namespace Orbit.InferenceWorker;

/// <summary><c>Orbit:Worker</c>: where models come from, which ones this worker serves, and how it batches.</summary>
internal sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Orbit:Worker";

    [Required]
    [Url]
    public string RegistryUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>A registry key of tenant <c>admin</c> (any role): it may read every artifact. Never logged.</summary>
    public string? RegistryKey { get; set; }

    /// <summary><c>cpu</c> or <c>cuda:N</c>; a CUDA device that cannot start falls back to the CPU.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "must be cpu or cuda:N")]
    public string Device { get; set; } = "cpu";

    /// <summary>Only these models (<c>tenant/model</c>) are served; empty serves every deployed model.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>The model cache's budget on disk; past it, the least recently used files that no loaded session and no deployed version uses are deleted.</summary>
    [Range(1L, long.MaxValue)]
    public long CacheMaxBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Download and verify a version's artifact when it is registered (for models this worker serves), so deploying it only opens a session.</summary>
    public bool PrefetchRegisteredVersions { get; set; } = true;

    [Range(1, int.MaxValue)]
    public int IdleUnloadSeconds { get; set; } = 600;

    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 32;

    [Range(0, 10_000_000)]
    public int MaxQueueDelayMicroseconds { get; set; } = 100;

    public List<int> PreferredBatchSizes { get; set; } = [];

    /// <summary>Batches of one model version that may run at the same time.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Longest wait for the registry's headers or for any one read of an artifact's body; a stalled download is retried.</summary>
    [Range(1, 3600)]
    public int DownloadReadTimeoutSeconds { get; set; } = 30;

    /// <summary>Tries per download (an error, a stall, a cut connection) before the load fails; the rewarm loop tries again later.</summary>
    [Range(1, 100)]
    public int DownloadAttempts { get; set; } = 5;

    /// <summary>Wait before the second try, doubled for each later one, at most 30 s.</summary>
    [Range(0, 60_000)]
    public int DownloadBackoffMilliseconds { get; set; } = 1000;

    public bool CanDownload => !string.IsNullOrWhiteSpace(RegistryKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var model in Models)
        {
            var parts = model.Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                yield return new ValidationResult($"'{model}' is not tenant/model", [nameof(Models)]);
            }
        }

        foreach (var size in PreferredBatchSizes)
        {
            if (size < 1 || size > MaxBatchSize)
            {
                yield return new ValidationResult($"{size} is not between 1 and MaxBatchSize ({MaxBatchSize})", [nameof(PreferredBatchSizes)]);
            }
        }
    }

    /// <summary>Whether <c>tenant/model</c> is one this worker serves.</summary>
    public bool Serves(string tenantId, string modelName) =>
        Models.Count == 0 || Models.Contains($"{tenantId}/{modelName}", StringComparer.Ordinal);
}
