namespace Orbit.Retrainer;

/// <summary>Every log event id of the retrainer, in one place (6000–6999), so an id is never used twice.</summary>
internal static class RetrainerLogEvents
{
    public const int Applied = 6001;
    public const int TriggerRecorded = 6101;
    public const int ScheduleFired = 6102;
    public const int AttemptStarted = 6201;
    public const int AttemptFinished = 6202;
    public const int AttemptCrashed = 6203;
    public const int AttemptRequeued = 6204;
    public const int LeaseHeldElsewhere = 6205;
    public const int LeaseLost = 6206;
    public const int AttemptReleased = 6207;
    public const int KeyIssued = 6301;
}
