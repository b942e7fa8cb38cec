using System.Text.Json.Serialization;

namespace Orbit.Contracts.Drift;

[JsonConverter(typeof(JsonStringEnumConverter<DriftSeverity>))]
public enum DriftSeverity
{
    Warning,
    Critical,
}

[JsonConverter(typeof(JsonStringEnumConverter<DriftMetric>))]
public enum DriftMetric
{
    Psi,
    Kl,
    Js,
    Ks,
    ChiSquared,
}
