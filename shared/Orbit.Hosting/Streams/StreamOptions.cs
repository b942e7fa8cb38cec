using System.ComponentModel.DataAnnotations;

namespace Orbit.Hosting.Streams;

/// <summary>
/// How the replayable streams are declared and read (<c>Orbit:Streams</c>). The broker is the one in
/// <c>Orbit:RabbitMq:Url</c>. Retention applies when a stream is first declared; RabbitMQ refuses to
/// redeclare a stream with other arguments, so a later change is applied with a policy
/// (<c>rabbitmqctl set_policy</c>), and the service uses the stream as it is and logs the difference.
/// </summary>
public sealed class StreamOptions : IValidatableObject
{
    public const string Section = "Orbit:Streams";

    /// <summary>Retention of every stream without its own entry in <see cref="PerStream"/>.</summary>
    public StreamRetention Retention { get; set; } = new();

    /// <summary>Retention by stream name (<c>orbit.stats</c>, <c>orbit.predictions</c>, <c>orbit.outcomes</c>, …).</summary>
    public Dictionary<string, StreamRetention> PerStream { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Unacknowledged deliveries a reader holds at once (streams require a prefetch).</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 500;

    /// <summary>How long a publish keeps retrying an unreachable broker before it fails (a 503 on HTTP).</summary>
    [Range(1, 3_600)]
    public int PublishTimeoutSeconds { get; set; } = 10;

    /// <summary>Wait before reconnecting after the broker connection is lost.</summary>
    [Range(10, 60_000)]
    public int ReconnectDelayMilliseconds { get; set; } = 500;

    public StreamRetention RetentionOf(string stream) => PerStream.GetValueOrDefault(stream) ?? Retention;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (prefix, retention) in PerStream.Select(p => ($"{nameof(PerStream)}:{p.Key}:", p.Value)).Prepend(($"{nameof(Retention)}:", Retention)))
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(retention, new ValidationContext(retention), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => prefix + m));
            }
        }
    }
}

/// <summary>
/// A stream's retention: RabbitMQ removes whole segments once the stream is larger than
/// <see cref="MaxLengthBytes"/> or a segment is older than <see cref="MaxAge"/>.
/// </summary>
public sealed class StreamRetention
{
    /// <summary><c>x-max-length-bytes</c>.</summary>
    [Range(1_000_000, long.MaxValue)]
    public long MaxLengthBytes { get; set; } = 5_000_000_000;

    /// <summary><c>x-max-age</c>: a number and a unit, <c>Y</c>, <c>M</c>, <c>D</c>, <c>h</c>, <c>m</c> or <c>s</c> (<c>7D</c>, <c>12h</c>).</summary>
    [Required]
    [RegularExpression("^[0-9]+[YMDhms]$", ErrorMessage = "must be a number and one of the units Y, M, D, h, m, s (e.g. 7D)")]
    public string MaxAge { get; set; } = "7D";

    /// <summary><c>x-stream-max-segment-size-bytes</c>: retention removes whole segments.</summary>
    [Range(100_000, 3_000_000_000)]
    public long MaxSegmentSizeBytes { get; set; } = 100_000_000;
}
