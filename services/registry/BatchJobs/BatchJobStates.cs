namespace Orbit.Registry.BatchJobs;

internal static class BatchJobStates
{
    public const string Preparing = "preparing";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string state) => state is Completed or Failed or Cancelled;
}

internal static class ChunkStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Done = "done";
}
