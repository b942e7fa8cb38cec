namespace Orbit.Hosting;

/// <summary>
/// Which Orbit service this process is, which instance of it, and the folder it keeps its files in
/// (<c>Orbit:DataDirectory</c>, default <c>data</c> under the working directory).
/// </summary>
public sealed record OrbitServiceInfo(string Name, string InstanceId, DateTimeOffset StartedAt, string DataDirectory)
{
    public static string Version { get; } =
        typeof(OrbitServiceInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
