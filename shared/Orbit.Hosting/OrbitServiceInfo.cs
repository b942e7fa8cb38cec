namespace Orbit.Hosting;

/// <summary>Which Orbit service this process is, and which instance of it.</summary>
public sealed record OrbitServiceInfo(string Name, string InstanceId, DateTimeOffset StartedAt)
{
    public static string Version { get; } =
        typeof(OrbitServiceInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
