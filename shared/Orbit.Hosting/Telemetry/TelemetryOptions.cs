using System.ComponentModel.DataAnnotations;

namespace Orbit.Hosting.Telemetry;

public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Orbit:Telemetry";

    /// <summary>
    /// An OTLP collector to send traces and metrics to (e.g. <c>http://127.0.0.1:4317</c>). Empty: no
    /// OTLP export, unless the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; empty: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else gRPC.</summary>
    [RegularExpression("^(|grpc|http/protobuf)$", ErrorMessage = "must be 'grpc' or 'http/protobuf'")]
    public string? OtlpProtocol { get; set; }

    /// <summary>
    /// The share of new traces recorded (0–1). Spans cost CPU on every request and bus message even
    /// with no exporter; a busy deployment lowers this (requests that arrive sampled stay sampled).
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"must be an http:// or https:// URL, got '{OtlpEndpoint}'", [nameof(OtlpEndpoint)]);
        }
    }
}
