namespace Orbit.Registry;

/// <summary>Every log event id of the registry, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class RegistryLogEvents
{
    public const int Applied = 2001;
    public const int Swept = 2002;
    public const int DispatchFailed = 2101;
    public const int RoutingDeferred = 2102;
    public const int OutboxPruned = 2103;
    public const int Corrupted = 2201;
    public const int OrphanRemoved = 2202;
    public const int OrphanSweepFailed = 2203;
    public const int ValidationBusy = 2501;
    public const int ValidationTimedOut = 2502;
    public const int ValidationCrashed = 2503;
    public const int ValidationRuntimeMissing = 2504;
    public const int RolloutAdvanced = 2701;
    public const int RolloutEnded = 2702;
    public const int RolloutTickFailed = 2703;
    public const int ProposalStarted = 2704;
    public const int ProposalLeft = 2705;
    public const int ExperimentEnded = 2801;
    public const int ExperimentTickFailed = 2802;
    public const int ShadowEnded = 2901;
    public const int Created = 2301;
    public const int Repaired = 2401;
    public const int Failed = 2402;
    public const int BatchResumed = 2601;
    public const int BatchPassFailed = 2602;
    public const int BatchStagingFailed = 2603;
    public const int BatchStaged = 2604;
    public const int BatchCompleted = 2605;
    public const int BatchChunkIgnored = 2606;
    public const int BatchChunkFailed = 2607;
}
