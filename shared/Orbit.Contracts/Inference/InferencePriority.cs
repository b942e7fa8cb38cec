namespace Orbit.Contracts.Inference;

/// <summary>RabbitMQ message priorities: real-time work preempts batch chunks.</summary>
public static class InferencePriority
{
    public const int Batch = 1;
    public const int Asynchronous = 5;
    public const int RealTime = 9;
}
