using System.ComponentModel.DataAnnotations;

namespace Orbit.Hosting.Configuration;

public sealed class RedisOptions
{
    public const string Section = "Orbit:Redis";

    /// <summary>StackExchange.Redis configuration string; <c>ORBIT_REDIS</c> sets it too.</summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    [Range(100, 60_000)]
    public int ConnectTimeoutMilliseconds { get; set; } = 2_000;
}
