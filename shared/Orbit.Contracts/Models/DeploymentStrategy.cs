using System.Text.Json.Serialization;

namespace Orbit.Contracts.Models;

[JsonConverter(typeof(JsonStringEnumConverter<DeploymentStrategy>))]
public enum DeploymentStrategy
{
    Manual,
    Canary,

    /// <summary>An A/B experiment: stable (the control) and one or more other versions at fixed weights, listed in the routes.</summary>
    Ab,

    /// <summary>A shadow: stable answers every request; the candidate (weight 0) gets a mirrored copy of a share of them, its answers compared and discarded.</summary>
    Shadow,
}
