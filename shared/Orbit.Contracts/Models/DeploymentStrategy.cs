using System.Text.Json.Serialization;

namespace Orbit.Contracts.Models;

[JsonConverter(typeof(JsonStringEnumConverter<DeploymentStrategy>))]
public enum DeploymentStrategy
{
    Manual,
    Canary,

    /// <summary>An A/B experiment: stable (the control) and one or more other versions at fixed weights, listed in the routes.</summary>
    Ab,
}
