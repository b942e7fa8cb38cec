using System.ComponentModel.DataAnnotations;

namespace Orbit.Hosting.Configuration;

public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "Orbit:RabbitMq";

    /// <summary>AMQP URL of the broker; <c>ORBIT_RABBITMQ</c> sets it too.</summary>
    [Required]
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>How often a failing message is retried in memory before it goes to its error queue.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 3;

    [Range(1, 600_000)]
    public int RetryIntervalMilliseconds { get; set; } = 200;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            yield return new ValidationResult(
                $"must be an amqp:// or amqps:// URL, got '{Redact(Url)}'", [nameof(Url)]);
        }
    }

    /// <summary>The URL with its password replaced, for logs and errors.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? url.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : url;
}
