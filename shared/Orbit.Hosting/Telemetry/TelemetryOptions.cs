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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"must be an http:// or https:// URL, got '{OtlpEndpoint}'", [nameof(OtlpEndpoint)]);
        }
    }
}
