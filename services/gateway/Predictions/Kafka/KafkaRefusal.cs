namespace Orbit.Gateway.Predictions.Kafka;

/// <summary>Why a Kafka request was not run: the field at fault and a sentence, sent to the errors topic in its headers.</summary>
internal sealed record KafkaRefusal(string Field, string Reason)
{
    public const string ReasonHeader = "x-orbit-error";
    public const string FieldHeader = "x-orbit-error-field";
}
