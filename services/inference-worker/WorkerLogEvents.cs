namespace Orbit.InferenceWorker;

/// <summary>Every log event id of the inference worker, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class WorkerLogEvents
{
    public const int Swept = 4001;
    public const int NoKey = 4002;
    public const int Starting = 4003;
    public const int Downloaded = 4101;
    public const int DigestMismatch = 4102;
    public const int DownloadRetrying = 4103;
    public const int Evicted = 4111;
    public const int OverBudget = 4112;
    public const int Loaded = 4121;
    public const int LoadFailed = 4122;
    public const int Unloaded = 4123;
    public const int UnloadFailed = 4124;
    public const int Unbatched = 4125;
    public const int BatchFailed = 4201;
    public const int BatchCrashed = 4202;
    public const int LoopFailed = 4203;
    public const int Stale = 4303;
    public const int Applying = 4304;
    public const int WarmFailed = 4305;
    public const int Connected = 4306;
    public const int Disconnected = 4307;
    public const int Stopping = 4308;
    public const int StopTimedOut = 4309;
    public const int BeatFailed = 4401;
    public const int StatisticsUnmapped = 4501;
    public const int StatisticsMetadataUnavailable = 4502;
    public const int StatisticsFailed = 4503;
    public const int StatisticsPending = 4504;
    public const int PredictionLogFailed = 4505;
    public const int StatisticsStopTimedOut = 4506;
    public const int ChunkYielded = 4601;
    public const int ChunkFailed = 4602;
    public const int Prefetched = 4701;
    public const int PrefetchFailed = 4702;
    public const int PrefetchTooLarge = 4703;
}
