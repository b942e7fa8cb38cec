using System.Text.Json.Serialization;

namespace Orbit.Contracts.Models;

[JsonConverter(typeof(JsonStringEnumConverter<DeploymentStrategy>))]
public enum DeploymentStrategy
{
    Manual,
    Canary,
}
