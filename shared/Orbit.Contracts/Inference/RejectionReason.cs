using System.Text.Json.Serialization;

namespace Orbit.Contracts.Inference;

[JsonConverter(typeof(JsonStringEnumConverter<RejectionReason>))]
public enum RejectionReason
{
    InvalidInput,
    ModelNotFound,
    ModelNotDeployed,
    DeadlineExceeded,
    ModelError,
    Overloaded,
    ShuttingDown,
}
